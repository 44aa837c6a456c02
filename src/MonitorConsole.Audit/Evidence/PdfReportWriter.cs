using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MonitorConsole.Audit.Evidence;

/// <summary>One table column: its header, its width in points, and how its cells are set.</summary>
internal sealed record PdfColumn(string Header, double Width, bool Mono = false, bool AlignRight = false);

/// <summary>
/// Lays text and tables down A4 portrait pages top to bottom, starting a new page when the next line would not fit
/// and repeating a table's header there. PDFsharp draws; it does not flow text, hence this.
/// </summary>
internal sealed class PdfReportWriter : IDisposable
{
    private const double Margin = 42;
    private const double FooterSpace = 18;
    private const double CellPadding = 3;
    private const double TableLineHeight = 10;

    private static readonly XPdfFontOptions Encoding = new(PdfFontEncoding.Automatic);
    private static readonly XColor RuleColor = XColor.FromArgb(190, 190, 190);
    private static readonly XBrush HeaderFill = new XSolidBrush(XColor.FromArgb(235, 235, 235));

    private readonly PdfDocument document;
    private PdfPage page = null!;
    private XGraphics gfx = null!;
    private double y;
    private bool finished;

    public PdfReportWriter(PdfDocument document)
    {
        this.document = document;
        Body = Font(ReportFontResolver.SansFamily, 9, bold: false);
        Bold = Font(ReportFontResolver.SansFamily, 9, bold: true);
        TableBody = Font(ReportFontResolver.SansFamily, 7.5, bold: false);
        TableBold = Font(ReportFontResolver.SansFamily, 7.5, bold: true);
        Mono = Font(ReportFontResolver.MonoFamily, 7, bold: false);
        Title = Font(ReportFontResolver.SansFamily, 18, bold: true);
        Heading = Font(ReportFontResolver.SansFamily, 12, bold: true);
        NewPage();
    }

    public XFont Body { get; }
    public XFont Bold { get; }
    public XFont TableBody { get; }
    public XFont TableBold { get; }
    public XFont Mono { get; }
    public XFont Title { get; }
    public XFont Heading { get; }

    private double Left => Margin;
    private double ContentWidth => page.Width.Point - 2 * Margin;
    private double Bottom => page.Height.Point - Margin - FooterSpace;

    /// <summary>A paragraph, wrapped to the page width (or less by <paramref name="indent"/>).</summary>
    public void Paragraph(string text, XFont font, XBrush? brush = null, double indent = 0, double spaceAfter = 6)
    {
        var lineHeight = LineHeight(font);
        foreach (var line in PdfTextWrap.Lines(gfx, text, font, ContentWidth - indent))
        {
            EnsureRoom(lineHeight);
            DrawLine(line, font, brush ?? XBrushes.Black, Left + indent, y, lineHeight);
            y += lineHeight;
        }
        y += spaceAfter;
    }

    public void SectionHeading(string text)
    {
        // Keep a heading with at least a few lines of what follows it.
        EnsureRoom(LineHeight(Heading) + 4 * TableLineHeight);
        y += 6;
        Paragraph(text, Heading, spaceAfter: 1);
        gfx.DrawLine(new XPen(RuleColor, 0.6), Left, y, Left + ContentWidth, y);
        y += 5;
    }

    /// <summary>A boxed, filled line of words (the verdict): the colour helps, the words carry the meaning.</summary>
    public void Banner(string text, XColor ink, XColor fill)
    {
        var lines = PdfTextWrap.Lines(gfx, text, Bold, ContentWidth - 16);
        var lineHeight = LineHeight(Bold);
        var height = lines.Count * lineHeight + 10;
        EnsureRoom(height);
        gfx.DrawRectangle(new XPen(ink, 1.5), new XSolidBrush(fill), Left, y, ContentWidth, height);
        var top = y + 5;
        foreach (var line in lines)
        {
            DrawLine(line, Bold, new XSolidBrush(ink), Left + 8, top, lineHeight);
            top += lineHeight;
        }
        y += height + 8;
    }

    /// <summary>Label/value pairs in two columns; values wrap, hashes set in the mono font.</summary>
    public void Definitions(IEnumerable<(string Label, string Value, bool IsHash)> items)
    {
        const double labelWidth = 135;
        foreach (var (label, value, isHash) in items)
        {
            var valueFont = isHash ? Font(ReportFontResolver.MonoFamily, 8, bold: false) : Body;
            var labelLines = PdfTextWrap.Lines(gfx, label, Bold, labelWidth - 6);
            var valueLines = PdfTextWrap.Lines(gfx, value, valueFont, ContentWidth - labelWidth);
            var lineHeight = LineHeight(Body);
            for (var i = 0; i < Math.Max(labelLines.Count, valueLines.Count); i++)
            {
                EnsureRoom(lineHeight);
                if (i < labelLines.Count)
                    DrawLine(labelLines[i], Bold, XBrushes.Black, Left, y, lineHeight);
                if (i < valueLines.Count)
                    DrawLine(valueLines[i], valueFont, XBrushes.Black, Left + labelWidth, y, lineHeight);
                y += lineHeight;
            }
        }
        y += 4;
    }

    /// <summary>
    /// A table whose header repeats on every page it runs onto. A row taller than what is left of the page moves
    /// to the next; a row taller than a whole page is split between pages rather than cut.
    /// </summary>
    public void Table(IReadOnlyList<PdfColumn> columns, IEnumerable<string[]> rows, Func<int, string, XBrush?>? cellBrush = null)
    {
        var scale = ContentWidth / columns.Sum(c => c.Width);
        var widths = columns.Select(c => c.Width * scale).ToArray();
        var headerCells = columns.Select((c, i) => PdfTextWrap.Lines(gfx, c.Header, TableBold, widths[i] - 2 * CellPadding)).ToArray();
        var headerHeight = headerCells.Max(c => c.Count) * TableLineHeight + 2 * CellPadding;

        EnsureRoom(headerHeight + TableLineHeight + 2 * CellPadding);
        DrawHeader();
        foreach (var row in rows)
        {
            var cells = columns.Select((c, i) => PdfTextWrap.Lines(gfx, row[i], c.Mono ? Mono : TableBody, widths[i] - 2 * CellPadding)).ToArray();
            var lineCount = cells.Max(c => c.Count);
            var fullHeight = lineCount * TableLineHeight + 2 * CellPadding;
            var pageRoom = Bottom - (Margin + headerHeight);
            if (y + fullHeight > Bottom && fullHeight <= pageRoom)
                BreakPage();

            var first = 0;
            while (first < lineCount)
            {
                var fitting = (int)Math.Floor((Bottom - y - 2 * CellPadding) / TableLineHeight);
                if (fitting < 1)
                {
                    BreakPage();
                    continue;
                }
                var count = Math.Min(fitting, lineCount - first);
                DrawRowSlice(columns, widths, row, cells, first, count, cellBrush);
                first += count;
                if (first < lineCount)
                    BreakPage();
            }
        }
        y += 6;

        void BreakPage()
        {
            NewPage();
            DrawHeader();
        }

        void DrawHeader()
        {
            gfx.DrawRectangle(HeaderFill, Left, y, ContentWidth, headerHeight);
            var x = Left;
            for (var i = 0; i < columns.Count; i++)
            {
                var top = y + CellPadding;
                foreach (var line in headerCells[i])
                {
                    DrawLine(line, TableBold, XBrushes.Black, x + CellPadding, top, TableLineHeight);
                    top += TableLineHeight;
                }
                x += widths[i];
            }
            y += headerHeight;
            gfx.DrawLine(new XPen(XColors.Black, 0.6), Left, y, Left + ContentWidth, y);
        }
    }

    private void DrawRowSlice(
        IReadOnlyList<PdfColumn> columns, double[] widths, string[] row, List<string>[] cells, int first, int count,
        Func<int, string, XBrush?>? cellBrush)
    {
        var x = Left;
        for (var i = 0; i < columns.Count; i++)
        {
            var font = columns[i].Mono ? Mono : TableBody;
            var brush = cellBrush?.Invoke(i, row[i]) ?? XBrushes.Black;
            var top = y + CellPadding;
            foreach (var line in cells[i].Skip(first).Take(count))
            {
                var lineX = columns[i].AlignRight
                    ? x + widths[i] - CellPadding - gfx.MeasureString(line, font).Width
                    : x + CellPadding;
                DrawLine(line, font, brush, lineX, top, TableLineHeight);
                top += TableLineHeight;
            }
            x += widths[i];
        }
        y += count * TableLineHeight + 2 * CellPadding;
        gfx.DrawLine(new XPen(RuleColor, 0.4), Left, y, Left + ContentWidth, y);
    }

    /// <summary>Writes "page X of Y" on every page, once the number of pages is known.</summary>
    public void Finish(string footerLeft)
    {
        gfx.Dispose();
        finished = true;
        var footer = Font(ReportFontResolver.SansFamily, 7.5, bold: false);
        var total = document.PageCount;
        for (var i = 0; i < total; i++)
        {
            var target = document.Pages[i];
            using var pageGfx = XGraphics.FromPdfPage(target, XGraphicsPdfPageOptions.Append);
            var baseline = target.Height.Point - Margin + 4;
            var number = $"page {i + 1} of {total}";
            var numberWidth = pageGfx.MeasureString(number, footer).Width;
            var room = ContentWidth - numberWidth - 12;
            var left = PdfTextWrap.Lines(pageGfx, footerLeft, footer, room)[0];
            pageGfx.DrawString(left, footer, XBrushes.DimGray, Left, baseline);
            pageGfx.DrawString(number, footer, XBrushes.DimGray, Left + ContentWidth - numberWidth, baseline);
        }
    }

    public void Dispose()
    {
        if (!finished)
            gfx.Dispose();
    }

    private void EnsureRoom(double height)
    {
        if (y + height > Bottom && y > Margin)
            NewPage();
    }

    private void NewPage()
    {
        gfx?.Dispose();
        page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Portrait;
        gfx = XGraphics.FromPdfPage(page);
        y = Margin;
    }

    // Text is placed by its line box's top; the baseline sits at about four fifths of the line height.
    private void DrawLine(string text, XFont font, XBrush brush, double x, double top, double lineHeight)
    {
        if (text.Length > 0)
            gfx.DrawString(text, font, brush, x, top + lineHeight * 0.78);
    }

    private static double LineHeight(XFont font) => font.Size * 1.3;

    private static XFont Font(string family, double size, bool bold) =>
        new(family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, Encoding);
}

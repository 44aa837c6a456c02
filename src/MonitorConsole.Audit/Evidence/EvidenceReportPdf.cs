using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// Renders an evidence pack's report.pdf (A4 portrait, paginated) with the same content as
/// <see cref="EvidenceReportHtml"/>. It needs a TrueType font on the machine; without one it declines with a reason,
/// and the pack ships the HTML report only.
/// </summary>
public static class EvidenceReportPdf
{
    private static readonly XColor PassedInk = XColor.FromArgb(11, 93, 30);
    private static readonly XColor FailedInk = XColor.FromArgb(138, 16, 16);
    private static readonly XColor NotCheckedInk = XColor.FromArgb(107, 74, 0);

    public static bool TryRender(EvidenceReport report, Stream output, out string? whyNot) =>
        TryRender(report, output, compress: true, out whyNot);

    /// <summary>Uncompressed output lets tests read the drawn text in the page content.</summary>
    internal static bool TryRender(EvidenceReport report, Stream output, bool compress, out string? whyNot)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        if (!ReportFontResolver.TryInstall(out whyNot))
            return false;

        using var document = new PdfDocument();
        document.Info.Title = EvidenceReportText.Title;
        document.Info.Author = report.MadeBy;
        document.Info.Creator = "MonitorConsole";
        document.Options.NoCompression = !compress;
        document.Options.CompressContentStreams = compress;

        using (var writer = new PdfReportWriter(document))
        {
            Write(writer, report);
            writer.Finish($"{EvidenceReportText.Title} · {EvidenceReportText.Utc(report.MadeAtUtc)}");
        }
        document.Save(output, closeStream: false);
        return true;
    }

    private static void Write(PdfReportWriter pdf, EvidenceReport report)
    {
        pdf.Paragraph(EvidenceReportText.Title, pdf.Title, spaceAfter: 8);
        var (ink, fill) = EvidenceReportText.VerdictKind(report) switch
        {
            EvidenceVerdictKind.Passed => (PassedInk, XColor.FromArgb(230, 244, 234)),
            EvidenceVerdictKind.Failed => (FailedInk, XColor.FromArgb(253, 232, 232)),
            _ => (NotCheckedInk, XColor.FromArgb(255, 244, 214)),
        };
        pdf.Banner(EvidenceReportText.Verdict(report), ink, fill);
        pdf.Paragraph(EvidenceReportText.MadeLine(report), pdf.Body);

        pdf.SectionHeading("Scope");
        pdf.Definitions(EvidenceReportText.ScopeLines(report.Scope).Select(l => (l.Label, l.Value, false)));
        pdf.SectionHeading("Counts");
        pdf.Definitions(EvidenceReportText.CountLines(report.Counts).Select(l => (l.Label, l.Value, false)));
        pdf.SectionHeading("Checkpoint");
        pdf.Definitions(EvidenceReportText.CheckpointLines(report.Checkpoint));

        pdf.SectionHeading("Checks");
        pdf.Table(
            [new(EvidenceReportText.CheckHeaders[0], 150), new(EvidenceReportText.CheckHeaders[1], 62), new(EvidenceReportText.CheckHeaders[2], 303)],
            report.Checks.Select(c => new[] { c.Title, EvidenceReportText.OutcomeWord(c.Outcome), c.Detail }),
            (column, text) => column == 1 ? new XSolidBrush(OutcomeInk(text)) : null);

        pdf.SectionHeading("Entries");
        if (EvidenceReportText.TruncationNote(report) is { } note)
            pdf.Paragraph(note, pdf.Body);
        var headers = EvidenceReportText.EntryHeaders;
        pdf.Table(
            [
                new(headers[0], 34, AlignRight: true), new(headers[1], 80), new(headers[2], 80), new(headers[3], 78),
                new(headers[4], 83), new(headers[5], 52), new(headers[6], 73, Mono: true),
            ],
            EvidenceReportText.ListedEntries(report).Select(e => new[]
            {
                EvidenceReportText.Number(e.Sequence), TimestampLines(e.Timestamp), e.Action, e.Actor, e.Resource,
                EvidenceReportText.Flags(e), EvidenceReportText.ShortHash(e.EntryHash),
            }));

        pdf.SectionHeading("Files");
        pdf.Table(
            [
                new(EvidenceReportText.FileHeaders[0], 105), new(EvidenceReportText.FileHeaders[1], 50, AlignRight: true),
                new(EvidenceReportText.FileHeaders[2], 150, Mono: true), new(EvidenceReportText.FileHeaders[3], 210),
            ],
            report.Files.Select(f => new[] { f.Name, EvidenceReportText.Number(f.Bytes), f.Sha256, f.Purpose }));

        pdf.SectionHeading("How to verify");
        pdf.Paragraph(EvidenceReportText.ClosingParagraph, pdf.Body);
    }

    private static string TimestampLines(string timestamp)
    {
        var (date, time) = EvidenceReportText.TimestampParts(timestamp);
        return time.Length == 0 ? date : date + "\n" + time;
    }

    private static XColor OutcomeInk(string outcomeWord) =>
        outcomeWord == EvidenceReportText.OutcomeWord(EvidenceCheckOutcome.Passed) ? PassedInk
        : outcomeWord == EvidenceReportText.OutcomeWord(EvidenceCheckOutcome.Failed) ? FailedInk
        : NotCheckedInk;
}

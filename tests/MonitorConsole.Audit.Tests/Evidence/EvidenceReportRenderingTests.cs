using System.Text;
using System.Text.RegularExpressions;

using MonitorConsole.Audit.Evidence;

using PdfSharp.Pdf.IO;

namespace MonitorConsole.Audit.Tests.Evidence;

public sealed partial class EvidenceReportRenderingTests
{
    // ---- HTML ----

    [Fact]
    public void Html_EscapesHostileActorActionAndResource()
    {
        var report = new EvidenceReportBuilder()
            .WithEntries(2, actor: "<script>alert('actor')</script>", resource: "\"><img src=x onerror=alert(1)>")
            .Build();

        var html = EvidenceReportHtml.Render(report);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;actor&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EscapesHostileTextInScopeChecksAndFiles()
    {
        var report = new EvidenceReportBuilder()
            .MadeBy("<b>mallory</b>")
            .WithCheck("<i>check</i>", EvidenceCheckOutcome.Passed, "detail </td><td>")
            .WithFile("<evil>.json", 1, "00", "purpose & more")
            .Build();

        var html = EvidenceReportHtml.Render(report);

        Assert.DoesNotContain("<b>mallory", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>check", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<evil>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;mallory&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("purpose &amp; more", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_SaysPassed_WhenEveryCheckPassed()
    {
        var html = EvidenceReportHtml.Render(new EvidenceReportBuilder().Build());

        Assert.Contains("class=\"verdict verdict-passed\"", html, StringComparison.Ordinal);
        Assert.Contains("PASSED: all 2 checks passed.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_SaysHowManyFailed_WhenAChecksFails()
    {
        var report = new EvidenceReportBuilder()
            .WithCheck("Checkpoint signature", EvidenceCheckOutcome.Failed, "The signature does not verify.")
            .WithCheck("Time anchor", EvidenceCheckOutcome.NotChecked, "No TSA certificate was given.")
            .Build();

        var html = EvidenceReportHtml.Render(report);

        Assert.Contains("class=\"verdict verdict-failed\"", html, StringComparison.Ordinal);
        Assert.Contains("FAILED: 1 of 4 checks failed and 1 could not be checked.", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Outcome\" class=\"outcome-failed\">FAILED</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_SaysNotFullyChecked_WhenSomeCheckCouldNotBeMade()
    {
        var report = new EvidenceReportBuilder()
            .WithCheck("Time anchor", EvidenceCheckOutcome.NotChecked, "No TSA certificate was given.")
            .Build();

        var html = EvidenceReportHtml.Render(report);

        Assert.Contains("class=\"verdict verdict-notchecked\"", html, StringComparison.Ordinal);
        Assert.Contains("NOT FULLY CHECKED: none failed, but 1 of 3 checks could not be checked.", html, StringComparison.Ordinal);
        Assert.Contains("<td data-label=\"Outcome\" class=\"outcome-notchecked\">Not checked</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_ListsAtMostMaxListedEntries_AndSaysTheRestAreInEntriesJson()
    {
        var report = new EvidenceReportBuilder().WithEntries(EvidenceReport.MaxListedEntries + 5).WithUnlistedEntries(3_995).Build();

        var html = EvidenceReportHtml.Render(report);

        Assert.Equal(EvidenceReport.MaxListedEntries, EntryHashCells().Count(html));
        Assert.Contains("The first 1,000 of 5,000 entries are listed; all are in entries.json.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_HasNoListingNote_WhenEveryEntryIsListed()
    {
        var html = EvidenceReportHtml.Render(new EvidenceReportBuilder().WithEntries(3).Build());

        Assert.Equal(3, EntryHashCells().Count(html));
        Assert.DoesNotContain("entries are listed", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_ShortensEntryHashes_WithTheFullHashInTheTitle()
    {
        var report = new EvidenceReportBuilder().WithEntries(1).Build();
        var full = report.Entries[0].EntryHash;

        var html = EvidenceReportHtml.Render(report);

        Assert.Contains($"<td data-label=\"Entry hash\" class=\"hash\" title=\"{full}\">{full[..16]}</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_LetsAnEntryTimeBreakOnlyAfterItsT()
    {
        var html = EvidenceReportHtml.Render(new EvidenceReportBuilder().WithEntries(1).Build());

        Assert.Contains("<span class=\"nowrap\">2026-11-30T</span><wbr><span class=\"nowrap\">08:01:00.000000Z</span>",
            html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_IncludesEveryFileRow()
    {
        var report = new EvidenceReportBuilder().WithFile("report.pdf", 125_519, new string('f', 64), "This report as PDF.").Build();

        var html = EvidenceReportHtml.Render(report);

        foreach (var file in report.Files)
        {
            Assert.Contains($"<tr><td data-label=\"File\">{file.Name}</td><td data-label=\"Bytes\" class=\"num\">" +
                $"{EvidenceReportText.Number(file.Bytes)}</td><td data-label=\"SHA-256\" class=\"hash\">{file.Sha256}</td>" +
                $"<td data-label=\"Purpose\">{file.Purpose}</td></tr>", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Html_PutsSectionsInTheBriefsOrder_WithMadeAtInUtc()
    {
        var html = EvidenceReportHtml.Render(new EvidenceReportBuilder().Build());

        string[] inOrder =
        [
            "<h1>Audit evidence pack</h1>", "class=\"verdict", "Made by alice at 2026-12-01 14:05:09 UTC", "<h2>Scope</h2>",
            "entries through sequence 13", "rolled-back entries are included", "<h2>Counts</h2>", "<h2>Checkpoint</h2>",
            "made for this pack", "<h2>Checks</h2>", "<h2>Entries</h2>", "<h2>Files</h2>", "VERIFY.md in the same folder",
        ];
        var positions = inOrder.Select(text => html.IndexOf(text, StringComparison.Ordinal)).ToList();
        Assert.All(positions, position => Assert.True(position >= 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Html_IsSelfContained_NoScriptsLinksOrRemoteResources()
    {
        var html = EvidenceReportHtml.Render(new EvidenceReportBuilder().Build());

        foreach (var forbidden in new[] { "<script", "<link", "<img", "src=", "http:", "https:", "url(", "@import" })
            Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.Contains("<thead>", html, StringComparison.Ordinal);
    }

    // ---- PDF ----

    [Fact]
    public void Pdf_IsAPdfFile_FromHeaderToEndOfFileMarker()
    {
        var bytes = RenderPdf(new EvidenceReportBuilder().Build(), compress: true);

        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5), StringComparison.Ordinal);
        Assert.EndsWith("%%EOF", Encoding.ASCII.GetString(bytes).TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_PaginatesThousandListedEntries_AndNumbersEveryPageOfTheTotal()
    {
        var report = new EvidenceReportBuilder().WithEntries(EvidenceReport.MaxListedEntries).WithUnlistedEntries(9_000).Build();

        var bytes = RenderPdf(report, compress: false);
        using var document = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        var text = Encoding.Latin1.GetString(bytes);

        // A table row is one or two lines: 1,000 rows need well over ten A4 pages and far fewer than a hundred.
        Assert.InRange(document.PageCount, 12, 100);
        for (var page = 1; page <= document.PageCount; page++)
            Assert.Contains($"(page {page} of {document.PageCount})", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"(page {document.PageCount + 1} of", text, StringComparison.Ordinal);
        Assert.All(document.Pages.Cast<PdfSharp.Pdf.PdfPage>(), page => Assert.Equal(595, page.Width.Point, 0));
    }

    [Fact]
    public void Pdf_ContainsTheKeyStrings()
    {
        var report = new EvidenceReportBuilder()
            .WithCheck("Checkpoint signature", EvidenceCheckOutcome.Failed, "The signature does not verify.")
            .WithEntries(20)
            .WithUnlistedEntries(1_500)
            .Build();

        var text = Encoding.Latin1.GetString(RenderPdf(report, compress: false));

        foreach (var expected in new[]
        {
            "(Audit evidence pack)", "(FAILED: 1 of 3 checks failed.)", "(Made by alice at 2026-12-01 14:05:09 UTC)",
            "(The first 20 of 1,520 entries are listed; all are in entries.json.)", "(inclusion-proofs.json)",
            "(Entry hash)", "(data erased)", "(2026-11-30T)", "(08:01:00.000000Z)",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Pdf_KeepsNonLatinLettersOfAnActor()
    {
        var report = new EvidenceReportBuilder().WithEntries(1, actor: "Zoë Łukasz").Build();

        var text = Encoding.Latin1.GetString(RenderPdf(report, compress: false));

        // Text outside Windows-1252 goes to a Unicode (CID) font whose ToUnicode map must name Ł (U+0141) and ë (U+00EB).
        Assert.Contains("/Identity-H", text, StringComparison.Ordinal);
        Assert.Matches(ToUnicodeEntry("0141"), text);
        Assert.Matches(ToUnicodeEntry("00EB"), text);
    }

    [Fact]
    public void Pdf_WrapsLongValues_InsteadOfRunningOffThePage()
    {
        var longActor = string.Concat(Enumerable.Repeat("averyveryverylongactorname", 40));
        var report = new EvidenceReportBuilder().WithEntries(1, actor: longActor).Build();

        var text = Encoding.Latin1.GetString(RenderPdf(report, compress: false));

        // Every piece of the name is drawn, none of them as long as the whole.
        Assert.DoesNotContain(longActor, text, StringComparison.Ordinal);
        var pieces = LowercaseStrings().Matches(text).Select(m => m.Groups[1].Value)
            .Where(piece => piece.Length >= 5 && longActor.Contains(piece, StringComparison.Ordinal)).ToList();
        Assert.True(pieces.Count > 1);
        Assert.Equal(longActor, string.Concat(pieces));
    }

    [Fact]
    public void FontSearch_SaysWhereItLookedAndWhatToInstall_WhenNoFontIsThere()
    {
        var empty = Directory.CreateTempSubdirectory("no-fonts-");
        try
        {
            var files = ReportFontFiles.Find([empty.FullName], out var whyNot);

            Assert.Null(files);
            Assert.NotNull(whyNot);
            Assert.StartsWith("no TrueType font found (looked in ", whyNot, StringComparison.Ordinal);
            Assert.Contains(empty.FullName, whyNot, StringComparison.Ordinal);
            Assert.EndsWith("install fonts-dejavu-core", whyNot, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    private static byte[] RenderPdf(EvidenceReport report, bool compress)
    {
        using var output = new MemoryStream();
        var rendered = EvidenceReportPdf.TryRender(report, output, compress, out var whyNot);
        Assert.True(rendered, whyNot);
        return output.ToArray();
    }

    private static Regex ToUnicodeEntry(string codePoint) => new($"<[0-9A-F]{{4}}> ?<{codePoint}>", RegexOptions.IgnoreCase);

    [GeneratedRegex("<td data-label=\"Entry hash\" class=\"hash\" title=")]
    private static partial Regex EntryHashCells();

    [GeneratedRegex(@"\(([a-z]+)\)")]
    private static partial Regex LowercaseStrings();
}

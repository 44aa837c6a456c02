using System.Net;
using System.Text;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// Renders an evidence pack's report.html: one self-contained file (inline CSS, no scripts, nothing fetched) that an
/// auditor can open from disk offline, read on a phone or print. Every text is HTML-encoded, because entries' actor,
/// action and resource come from whoever wrote to the ledger.
/// </summary>
public static class EvidenceReportHtml
{
    // Hashes wrap anywhere so a 64-hex value never makes a page scroll sideways or run off a printed page.
    private const string Style = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
               font-size: 15px; line-height: 1.45; color: #1b1b1b; background: #fff; margin: 0 auto;
               padding: 1rem; max-width: 72rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
        .verdict { font-weight: 700; padding: .6rem .8rem; border: 2px solid; border-radius: 4px; margin: .5rem 0 1rem; }
        .verdict-passed { color: #0b5d1e; background: #e6f4ea; border-color: #0b5d1e; }
        .verdict-failed { color: #8a1010; background: #fde8e8; border-color: #8a1010; }
        .verdict-notchecked { color: #6b4a00; background: #fff4d6; border-color: #6b4a00; }
        .outcome-passed { color: #0b5d1e; font-weight: 700; }
        .outcome-failed { color: #8a1010; font-weight: 700; }
        .outcome-notchecked { color: #6b4a00; font-weight: 700; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
        dt { font-weight: 600; }
        dd { margin: 0; min-width: 0; }
        .hash, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace;
                      font-size: .85em; word-break: break-all; overflow-wrap: anywhere; }
        .table-wrap { width: 100%; }
        table { border-collapse: collapse; width: 100%; table-layout: auto; }
        th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top;
                 overflow-wrap: anywhere; word-break: break-word; }
        th { background: #f0f0f0; }
        td.num { text-align: right; white-space: nowrap; }
        .note { font-style: italic; }
        @media (max-width: 40rem) { body { font-size: 14px; padding: .5rem; } th, td { padding: .2rem; } }
        @media print {
          body { max-width: none; padding: 0; font-size: 9pt; }
          @page { size: A4; margin: 15mm; }
          thead { display: table-header-group; }
          tr { break-inside: avoid; page-break-inside: avoid; }
          h2 { break-after: avoid; page-break-after: avoid; }
          .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """;

    public static string Render(EvidenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(E(EvidenceReportText.Title)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(E(EvidenceReportText.Title)).Append("</h1>\n");

        var verdictClass = EvidenceReportText.VerdictKind(report) switch
        {
            EvidenceVerdictKind.Passed => "verdict-passed",
            EvidenceVerdictKind.Failed => "verdict-failed",
            _ => "verdict-notchecked",
        };
        html.Append("<p class=\"verdict ").Append(verdictClass).Append("\" role=\"status\">")
            .Append(E(EvidenceReportText.Verdict(report))).Append("</p>\n")
            .Append("<p>").Append(E(EvidenceReportText.MadeLine(report))).Append("</p>\n");

        Section(html, "Scope");
        Definitions(html, EvidenceReportText.ScopeLines(report.Scope).Select(l => (l.Label, l.Value, false)));
        Section(html, "Counts");
        Definitions(html, EvidenceReportText.CountLines(report.Counts).Select(l => (l.Label, l.Value, false)));
        Section(html, "Checkpoint");
        Definitions(html, EvidenceReportText.CheckpointLines(report.Checkpoint));

        Section(html, "Checks");
        AppendChecks(html, report.Checks);
        Section(html, "Entries");
        AppendEntries(html, report);
        Section(html, "Files");
        AppendFiles(html, report.Files);

        html.Append("<h2>How to verify</h2>\n<p>").Append(E(EvidenceReportText.ClosingParagraph)).Append("</p>\n")
            .Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendChecks(StringBuilder html, IReadOnlyList<EvidenceCheck> checks)
    {
        TableStart(html, EvidenceReportText.CheckHeaders);
        foreach (var check in checks)
        {
            var outcomeClass = check.Outcome switch
            {
                EvidenceCheckOutcome.Passed => "outcome-passed",
                EvidenceCheckOutcome.Failed => "outcome-failed",
                _ => "outcome-notchecked",
            };
            html.Append("<tr><td>").Append(E(check.Title))
                .Append("</td><td class=\"").Append(outcomeClass).Append("\">")
                .Append(E(EvidenceReportText.OutcomeWord(check.Outcome)))
                .Append("</td><td>").Append(E(check.Detail)).Append("</td></tr>\n");
        }
        TableEnd(html);
    }

    private static void AppendEntries(StringBuilder html, EvidenceReport report)
    {
        if (EvidenceReportText.TruncationNote(report) is { } note)
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        TableStart(html, EvidenceReportText.EntryHeaders);
        foreach (var row in EvidenceReportText.ListedEntries(report))
        {
            html.Append("<tr><td class=\"num\">").Append(E(EvidenceReportText.Number(row.Sequence)))
                .Append("</td><td>").Append(E(row.Timestamp))
                .Append("</td><td>").Append(E(row.Action))
                .Append("</td><td>").Append(E(row.Actor))
                .Append("</td><td>").Append(E(row.Resource))
                .Append("</td><td>").Append(E(EvidenceReportText.Flags(row)))
                .Append("</td><td class=\"hash\" title=\"").Append(E(row.EntryHash)).Append("\">")
                .Append(E(EvidenceReportText.ShortHash(row.EntryHash))).Append("</td></tr>\n");
        }
        TableEnd(html);
    }

    private static void AppendFiles(StringBuilder html, IReadOnlyList<EvidenceFile> files)
    {
        TableStart(html, EvidenceReportText.FileHeaders);
        foreach (var file in files)
        {
            html.Append("<tr><td>").Append(E(file.Name))
                .Append("</td><td class=\"num\">").Append(E(EvidenceReportText.Number(file.Bytes)))
                .Append("</td><td class=\"hash\">").Append(E(file.Sha256))
                .Append("</td><td>").Append(E(file.Purpose)).Append("</td></tr>\n");
        }
        TableEnd(html);
    }

    private static void Section(StringBuilder html, string title) =>
        html.Append("<h2>").Append(E(title)).Append("</h2>\n");

    private static void Definitions(StringBuilder html, IEnumerable<(string Label, string Value, bool IsHash)> lines)
    {
        html.Append("<dl>\n");
        foreach (var (label, value, isHash) in lines)
        {
            html.Append("<dt>").Append(E(label)).Append("</dt><dd")
                .Append(isHash ? " class=\"hash\"" : "").Append('>').Append(E(value)).Append("</dd>\n");
        }
        html.Append("</dl>\n");
    }

    private static void TableStart(StringBuilder html, IEnumerable<string> headers)
    {
        html.Append("<div class=\"table-wrap\"><table>\n<thead><tr>");
        foreach (var header in headers)
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
    }

    private static void TableEnd(StringBuilder html) => html.Append("</tbody>\n</table></div>\n");

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}

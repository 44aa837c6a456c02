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
        /* Fixed layout with set column widths: an attacker's 5,000-character actor wraps in its own column
           instead of squeezing the others to one letter per line. */
        table { border-collapse: collapse; width: 100%; table-layout: fixed; }
        th, td { border: 1px solid #ccc; padding: .25rem .4rem; text-align: left; vertical-align: top;
                 overflow-wrap: anywhere; }
        th { background: #f0f0f0; }
        td.num { text-align: right; }
        .note { font-style: italic; }
        .nowrap { white-space: nowrap; }
        /* On a phone each row becomes a small card of label/value lines, so nothing scrolls sideways. */
        @media screen and (max-width: 40rem) {
          body { font-size: 14px; padding: .5rem; }
          table, tbody, tr, td { display: block; width: 100%; }
          thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
          tr { border: 1px solid #ccc; margin-bottom: .5rem; }
          td { border: 0; display: grid; grid-template-columns: 6.5rem 1fr; gap: .5rem; }
          td.num { text-align: left; }
          td::before { content: attr(data-label); font-weight: 600; font-family: system-ui, sans-serif;
                       font-size: 14px; word-break: normal; }
        }
        @media print {
          body { max-width: none; padding: 0; font-size: 9pt; }
          table { font-size: 7.5pt; }
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

    private static readonly int[] CheckWidths = [28, 13, 59];
    private static readonly int[] EntryWidths = [6, 17, 18, 15, 15, 11, 18];
    private static readonly int[] FileWidths = [20, 10, 35, 35];

    private static void AppendChecks(StringBuilder html, IReadOnlyList<EvidenceCheck> checks)
    {
        var headers = EvidenceReportText.CheckHeaders;
        TableStart(html, headers, CheckWidths);
        foreach (var check in checks)
        {
            var outcomeClass = check.Outcome switch
            {
                EvidenceCheckOutcome.Passed => "outcome-passed",
                EvidenceCheckOutcome.Failed => "outcome-failed",
                _ => "outcome-notchecked",
            };
            html.Append("<tr>");
            Cell(html, headers[0], check.Title);
            Cell(html, headers[1], EvidenceReportText.OutcomeWord(check.Outcome), outcomeClass);
            Cell(html, headers[2], check.Detail);
            html.Append("</tr>\n");
        }
        TableEnd(html);
    }

    private static void AppendEntries(StringBuilder html, EvidenceReport report)
    {
        if (EvidenceReportText.TruncationNote(report) is { } note)
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>\n");
        var headers = EvidenceReportText.EntryHeaders;
        TableStart(html, headers, EntryWidths);
        foreach (var row in EvidenceReportText.ListedEntries(report))
        {
            html.Append("<tr>");
            Cell(html, headers[0], EvidenceReportText.Number(row.Sequence), "num");
            TimeCell(html, headers[1], row.Timestamp);
            Cell(html, headers[2], row.Action);
            Cell(html, headers[3], row.Actor);
            Cell(html, headers[4], row.Resource);
            Cell(html, headers[5], EvidenceReportText.Flags(row));
            Cell(html, headers[6], EvidenceReportText.ShortHash(row.EntryHash), "hash", title: row.EntryHash);
            html.Append("</tr>\n");
        }
        TableEnd(html);
    }

    private static void AppendFiles(StringBuilder html, IReadOnlyList<EvidenceFile> files)
    {
        var headers = EvidenceReportText.FileHeaders;
        TableStart(html, headers, FileWidths);
        foreach (var file in files)
        {
            html.Append("<tr>");
            Cell(html, headers[0], file.Name);
            Cell(html, headers[1], EvidenceReportText.Number(file.Bytes), "num");
            Cell(html, headers[2], file.Sha256, "hash");
            Cell(html, headers[3], file.Purpose);
            html.Append("</tr>\n");
        }
        TableEnd(html);
    }

    /// <summary>A cell carrying its column's name, which a phone shows beside the value.</summary>
    private static void Cell(StringBuilder html, string label, string text, string? cssClass = null, string? title = null)
    {
        html.Append("<td data-label=\"").Append(E(label)).Append('"');
        if (cssClass is not null)
            html.Append(" class=\"").Append(cssClass).Append('"');
        if (title is not null)
            html.Append(" title=\"").Append(E(title)).Append('"');
        html.Append('>').Append(E(text)).Append("</td>");
    }

    private static void TimeCell(StringBuilder html, string label, string timestamp)
    {
        var (date, time) = EvidenceReportText.TimestampParts(timestamp);
        html.Append("<td data-label=\"").Append(E(label)).Append("\"><span class=\"nowrap\">").Append(E(date)).Append("</span>");
        if (time.Length > 0)
            html.Append("<wbr><span class=\"nowrap\">").Append(E(time)).Append("</span>");
        html.Append("</td>");
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

    private static void TableStart(StringBuilder html, IReadOnlyList<string> headers, IReadOnlyList<int> widthPercents)
    {
        html.Append("<table>\n<colgroup>");
        foreach (var width in widthPercents)
            html.Append("<col style=\"width:").Append(width).Append("%\">");
        html.Append("</colgroup>\n<thead><tr>");
        foreach (var header in headers)
            html.Append("<th scope=\"col\">").Append(E(header)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
    }

    private static void TableEnd(StringBuilder html) => html.Append("</tbody>\n</table>\n");

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}

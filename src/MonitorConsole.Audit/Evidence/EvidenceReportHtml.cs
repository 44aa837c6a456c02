namespace MonitorConsole.Audit.Evidence;

// Placeholder until the renderer lands (helper branch "report").
public static class EvidenceReportHtml
{
    public static string Render(EvidenceReport report) =>
        "<!doctype html><title>Audit evidence pack</title><h1>Audit evidence pack</h1><p>" + System.Net.WebUtility.HtmlEncode(report.MadeBy) + "</p>";
}

namespace MonitorConsole.Audit.Evidence;

// Placeholder until the renderer lands (helper branch "report").
public static class EvidenceReportPdf
{
    public static bool TryRender(EvidenceReport report, Stream output, out string? whyNot)
    {
        whyNot = "not built yet";
        return false;
    }
}

namespace MonitorConsole.Drift;

/// <summary>How levels and kinds are written in reports, the API, the ledger and the console.</summary>
public static class Labels
{
    public static string Label(this AlertLevel level) => level switch
    {
        AlertLevel.Normal => "NORMAL",
        AlertLevel.Warning => "WARNING",
        _ => "CRITICAL",
    };

    public static string Label(this FeatureKind kind) => kind == FeatureKind.Numeric ? "numeric" : "categorical";
}

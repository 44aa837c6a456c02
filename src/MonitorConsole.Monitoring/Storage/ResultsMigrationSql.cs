namespace MonitorConsole.Monitoring.Storage;

/// <summary>
/// The hand-written part of the MetricsLongFormResults migrations (one per provider): the wide drift_run_features rows
/// of earlier runs copied into the long-form tables before the old table is dropped, so history charts keep them.
/// Distributions were not kept then, so migrated feature rows have none.
/// </summary>
public static class ResultsMigrationSql
{
    private static readonly (string Column, string Metric)[] V1Columns =
    [
        ("Psi", "psi"), ("Kl", "kl"), ("Js", "js"), ("Wasserstein", "wasserstein"), ("KsStatistic", "ks_statistic"),
        ("KsPValue", "ks_p_value"), ("Chi2Statistic", "chi2_statistic"), ("Chi2PValue", "chi2_p_value"),
    ];

    /// <param name="quote">How the provider quotes an identifier (PostgreSQL keeps the PascalCase column names only quoted).</param>
    public static IEnumerable<string> CopyFeatureRows(Func<string, string> quote)
    {
        string Q(string name) => quote(name);
        var common = $"{Q("CheckId")}, {Q("ModelId")}, {Q("Timestamp")}, {Q("Feature")}";
        foreach (var (column, metric) in V1Columns)
            yield return $"INSERT INTO {Q("drift_run_metrics")} ({common}, {Q("Metric")}, {Q("Value")}) " +
                $"SELECT {common}, '{metric}', {Q(column)} FROM {Q("drift_run_features")} WHERE {Q(column)} IS NOT NULL";
        yield return $"INSERT INTO {Q("drift_run_feature_results")} ({common}, {Q("Kind")}, {Q("AlertLevel")}) " +
            $"SELECT {common}, {Q("Kind")}, {Q("AlertLevel")} FROM {Q("drift_run_features")}";
    }
}

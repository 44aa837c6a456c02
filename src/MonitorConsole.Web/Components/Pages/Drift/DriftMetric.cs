using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Web.Components.Shared;

namespace MonitorConsole.Web.Components.Pages.Drift;

/// <summary>A metric the drift page can chart: how to read it from a run's feature row, and its threshold lines.</summary>
public sealed record DriftMetric(string Key, string Label, Func<DriftRunFeature, double?> Read, Func<DriftThresholds, IEnumerable<ChartThreshold>> Lines)
{
    private const string Warning = "#f9a825";
    private const string Critical = "#c62828";

    public static readonly IReadOnlyList<DriftMetric> All =
    [
        new("psi", "PSI", f => f.Psi, t => [new("warning", t.PsiWarning, Warning), new("critical", t.PsiCritical, Critical)]),
        new("kl", "KL divergence", f => f.Kl, t => Optional(("warning", t.KlWarning, Warning), ("critical", t.KlCritical, Critical))),
        new("js", "Jensen–Shannon distance", f => f.Js, t => Optional(("warning", t.JsWarning, Warning))),
        new("wasserstein", "Wasserstein (÷ σ)", f => f.Wasserstein, t => Optional(("warning", t.WassersteinWarning, Warning))),
        new("ks", "KS statistic", f => f.KsStatistic, _ => []),
        new("ks_p", "KS p-value", f => f.KsPValue, t => Optional(("alpha", t.KsAlpha, Warning))),
        new("chi2", "Chi-square statistic", f => f.Chi2Statistic, _ => []),
        new("chi2_p", "Chi-square p-value", f => f.Chi2PValue, t => Optional(("alpha", t.Chi2Alpha, Warning))),
    ];

    public IReadOnlyList<ChartSeries> Series(IEnumerable<DriftRunFeature> rows) =>
        rows.GroupBy(r => r.Feature)
            .Select(g => new ChartSeries(g.Key, g.Where(r => Read(r) is not null).Select(r => new ChartPoint(r.Timestamp, Read(r)!.Value)).ToList()))
            .Where(s => s.Points.Count > 0)
            .ToList();

    public IReadOnlyList<ChartThreshold> Thresholds(DriftThresholds thresholds) => Lines(thresholds).ToList();

    private static IEnumerable<ChartThreshold> Optional(params (string Label, double? Value, string Color)[] lines) =>
        lines.Where(l => l.Value is not null).Select(l => new ChartThreshold(l.Label, l.Value!.Value, l.Color));
}

using System.CommandLine;
using System.Globalization;
using MonitorConsole.Cli.Audit;
using MonitorConsole.Drift;
using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Cli.Drift;

/// <summary>The `drift` verbs.</summary>
public static class DriftCommands
{
    public static Command Build(TextWriter stdout)
    {
        var drift = new Command("drift", "Drift metrics (spec v1, docs/drift-metrics.md)");
        drift.Subcommands.Add(Compute(stdout));
        return drift;
    }

    private static Command Compute(TextWriter stdout)
    {
        var baseline = new Option<FileInfo>("--baseline") { Required = true, Description = "Baseline CSV (header row, one column per feature)" };
        var current = new Option<FileInfo>("--current") { Required = true, Description = "Current CSV with the same columns" };
        var features = new Option<string?>("--features") { Description = "Features to monitor, comma-separated (default: every baseline column)" };
        var categorical = new Option<string?>("--categorical") { Description = "Features to treat as categorical, comma-separated" };
        var json = AuditCommands.JsonOption();
        var thresholds = new ThresholdOptions();
        var command = new Command("compute", "Compare a current CSV with a baseline CSV") { baseline, current, features, categorical, json };
        thresholds.AddTo(command);
        command.SetAction(parse =>
        {
            var options = new DriftDetectorOptions
            {
                Features = List(parse.GetValue(features)),
                Categorical = new HashSet<string>(List(parse.GetValue(categorical)) ?? [], StringComparer.Ordinal),
                Thresholds = thresholds.Read(parse),
            };
            var detector = new DriftDetector(CsvDataset.Load(parse.GetValue(baseline)!.FullName), options);
            var report = detector.Compute(CsvDataset.Load(parse.GetValue(current)!.FullName));
            stdout.WriteLine(parse.GetValue(json) ? CliJson.Serialize(DriftReportJson.From(report)) : Describe(report));
            return CliApp.Ok;
        });
        return command;
    }

    private static List<string>? List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Describe(DriftReport report)
    {
        var lines = new List<string>
        {
            $"overall: {report.OverallStatus.Label()}  ({report.InputDriftCount} of {report.FeaturesMonitored} features drifted, share {report.DriftShare:0.###})",
            $"{"feature",-24} {"type",-12} {"psi",10} {"kl",10} {"js",8}  level",
        };
        foreach (var f in report.Features.Values)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{f.Name,-24} {f.Kind.Label(),-12} {f.Psi,10:0.0000} {f.Kl,10:0.0000} {f.Js,8:0.0000}  {f.AlertLevel.Label()}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>The threshold options of `drift compute`.</summary>
internal sealed class ThresholdOptions
{
    private readonly Option<double?> _psiWarning = new("--psi-warning") { Description = "PSI for WARNING (default 0.1)" };
    private readonly Option<double?> _psiCritical = new("--psi-critical") { Description = "PSI for CRITICAL (default 0.25)" };
    private readonly Option<double?> _klWarning = new("--kl-warning") { Description = "KL divergence that raises to WARNING" };
    private readonly Option<double?> _klCritical = new("--kl-critical") { Description = "KL divergence that raises to CRITICAL" };
    private readonly Option<double?> _jsWarning = new("--js-warning") { Description = "JS distance that raises to WARNING" };
    private readonly Option<double?> _wassersteinWarning = new("--wasserstein-warning") { Description = "Normalised Wasserstein distance that raises to WARNING" };
    private readonly Option<double?> _ksAlpha = new("--ks-alpha") { Description = "KS p-value below which a numeric feature is WARNING" };
    private readonly Option<double?> _chi2Alpha = new("--chi2-alpha") { Description = "Chi-square p-value below which a categorical feature is WARNING" };

    // Thresholds of metrics added after spec v1: one option per registry key (--out-of-range-share-warning …).
    private readonly Dictionary<string, Option<double?>> _added = MetricRegistry.ThresholdKeys
        .Where(k => MetricRegistry.Find(k.Value.Metric.Name)!.Spec != "1")
        .ToDictionary(k => k.Key, k => new Option<double?>("--" + k.Key.Replace('_', '-'))
        {
            Description = $"{k.Value.Threshold.Label} (default {(k.Value.Threshold.Default is { } d ? d.ToString(CultureInfo.InvariantCulture) : "not used")})",
        });

    public void AddTo(Command command)
    {
        foreach (var option in new[] { _psiWarning, _psiCritical, _klWarning, _klCritical, _jsWarning, _wassersteinWarning, _ksAlpha, _chi2Alpha })
            command.Options.Add(option);
        foreach (var option in _added.Values) command.Options.Add(option);
    }

    public DriftThresholds Read(ParseResult parse)
    {
        var d = DriftThresholds.Default;
        var thresholds = new DriftThresholds
        {
            PsiWarning = parse.GetValue(_psiWarning) ?? d.PsiWarning,
            PsiCritical = parse.GetValue(_psiCritical) ?? d.PsiCritical,
            KlWarning = parse.GetValue(_klWarning),
            KlCritical = parse.GetValue(_klCritical),
            JsWarning = parse.GetValue(_jsWarning),
            WassersteinWarning = parse.GetValue(_wassersteinWarning),
            KsAlpha = parse.GetValue(_ksAlpha),
            Chi2Alpha = parse.GetValue(_chi2Alpha),
        };
        foreach (var (key, option) in _added)
            if (parse.GetValue(option) is { } value) thresholds = thresholds.With(key, value);
        return thresholds;
    }
}

using System.Globalization;
using MonitorConsole.Drift;
using MonitorConsole.Drift.Metrics;
using MonitorConsole.Monitoring;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Web.Components.Shared;

namespace MonitorConsole.Web.Components.Pages.Models;

/// <summary>The model form's fields as people type them; turned into a <see cref="ModelConfigInput"/> on save.</summary>
public sealed class ModelFormModel
{
    public string ModelId { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public ScheduleKind Schedule { get; set; } = ScheduleKind.Daily;
    public string? Cron { get; set; }
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Every registry threshold as a number (null: empty field — not used, where the threshold can be off).</summary>
    public Dictionary<string, double?> Thresholds { get; private init; } = ThresholdsOf(DriftThresholds.Default);

    // What the person typed, kept as text: a number field that cannot hold "abc" keeps its last value, which is how
    // "abc" used to be saved as 0. Text that is not a number stays here and is refused at its field.
    private readonly Dictionary<string, string> _thresholdTexts = new(StringComparer.Ordinal);

    /// <summary>The threshold's field as typed (or as stored, until the person types).</summary>
    public string ThresholdText(string key) =>
        _thresholdTexts.TryGetValue(key, out var text) ? text : Thresholds.GetValueOrDefault(key) is { } v ? Format(v) : "";

    public void SetThresholdText(string key, string? text)
    {
        text = text?.Trim() ?? "";
        _thresholdTexts[key] = text;
        Thresholds[key] = text.Length == 0 ? null
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
    }

    public double PsiWarning
    {
        get => Thresholds["psi_warning"] ?? double.NaN;
        set => Thresholds["psi_warning"] = value;
    }

    public double PsiCritical
    {
        get => Thresholds["psi_critical"] ?? double.NaN;
        set => Thresholds["psi_critical"] = value;
    }
    public string Features { get; set; } = "";
    public string Categorical { get; set; } = "";
    public string? OutputColumn { get; set; }
    public string Webhooks { get; set; } = "";

    /// <summary>The features as a set, for the picker over the baseline's columns.</summary>
    public IReadOnlyCollection<string> FeatureList
    {
        get => List(Features);
        set => Features = string.Join(", ", value);
    }

    public IReadOnlyCollection<string> CategoricalList
    {
        get => List(Categorical);
        set => Categorical = string.Join(", ", value);
    }
    public bool Enabled { get; set; } = true;

    /// <summary>The window as typed: empty for "since the last run", else hours (up to a year).</summary>
    public string TrailingWindowText { get; set; } = "";

    public double? TrailingWindowHours
    {
        get => string.IsNullOrWhiteSpace(TrailingWindowText) ? null
            : double.TryParse(TrailingWindowText, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) ? h : double.NaN;
        set => TrailingWindowText = value is { } h ? Format(h) : "";
    }

    /// <summary>What is wrong with the window as typed, for the person at the field; null when it is fine.</summary>
    public string? TrailingWindowProblem =>
        string.IsNullOrWhiteSpace(TrailingWindowText) ? null
        : TypedNumber.TryDecimal(TrailingWindowText, 0, ModelConfigInput.MaxTrailingWindowHours, out var hours, out var problem)
            ? hours > 0 ? null : "Enter a number of hours greater than 0, or leave it empty for everything since the last run."
            : problem + ".";

    public static ModelFormModel From(ModelConfigView v) => new()
    {
        ModelId = v.ModelId,
        ModelVersion = v.ModelVersion,
        Schedule = v.Schedule,
        Cron = v.Cron,
        TimeZone = v.TimeZone,
        Thresholds = ThresholdsOf(v.Thresholds),
        Features = string.Join(", ", v.Features),
        Categorical = string.Join(", ", v.Categorical),
        OutputColumn = v.OutputColumn,
        Webhooks = string.Join('\n', v.Webhooks),
        Enabled = v.Enabled,
        TrailingWindowHours = v.TrailingWindowHours,
    };

    public ModelConfigInput ToInput() => new()
    {
        ModelId = ModelId.Trim(),
        ModelVersion = ModelVersion.Trim(),
        Schedule = Schedule,
        Cron = Schedule == ScheduleKind.Custom ? Cron : null,
        TimeZone = TimeZone,
        Thresholds = CheckedThresholds(),
        Features = List(Features),
        Categorical = List(Categorical),
        OutputColumn = string.IsNullOrWhiteSpace(OutputColumn) ? null : OutputColumn.Trim(),
        Webhooks = Webhooks.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Enabled = Enabled,
        TrailingWindowHours = TrailingWindowProblem is { } windowProblem
            ? throw new MonitoringInputException("trailing_window_hours", windowProblem)
            : TrailingWindowHours,
    };

    private static Dictionary<string, double?> ThresholdsOf(DriftThresholds t) =>
        MetricRegistry.ThresholdKeys.Keys.ToDictionary(k => k, t.Get, StringComparer.Ordinal);

    /// <summary>
    /// What is wrong with a threshold as typed, in words for the person at the field; null when it is fine. Rules:
    /// a finite number; above 0 (a significance level below 1); at most what the metric can reach; a CRITICAL
    /// threshold not below the same metric's WARNING one; empty only where the threshold can be left unused.
    /// </summary>
    public string? ThresholdProblem(string key)
    {
        var (metric, threshold) = MetricRegistry.ThresholdKeys[key];
        var value = Thresholds.GetValueOrDefault(key);
        if (_thresholdTexts.TryGetValue(key, out var typed) && typed.Length > 0
            && !double.TryParse(typed, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return $"'{typed}' is not a number.";
        if (value is not { } v)
            return DriftThresholds.Default.With(key, null).Get(key) is null ? null : "Enter a number: this threshold is always used.";
        if (!double.IsFinite(v)) return "Enter a finite number.";
        if (threshold.IsAlpha)
            return v is > 0 and < 1 ? null : "Enter a significance level between 0 and 1, such as 0.05.";
        if (v <= 0) return "Enter a number greater than 0.";
        if (v > metric.LargestThreshold)
            return $"Enter at most {metric.LargestThreshold.ToString("0.###", CultureInfo.InvariantCulture)}: {metric.Label} never goes higher.";
        if (threshold.Raises == AlertLevel.Critical
            && metric.Thresholds.FirstOrDefault(t => t.Raises == AlertLevel.Warning && !t.IsAlpha) is { } warning
            && Thresholds.GetValueOrDefault(warning.Key) is { } w && double.IsFinite(w) && v < w)
            return $"Enter at least the warning threshold ({w.ToString("0.####", CultureInfo.InvariantCulture)}): critical comes after warning.";
        return null;
    }

    public bool HasThresholdProblems => Thresholds.Keys.Any(k => ThresholdProblem(k) is not null);

    /// <summary>The thresholds as typed; the first problem is refused naming its field, nothing is replaced by a default.</summary>
    private DriftThresholds CheckedThresholds()
    {
        var thresholds = DriftThresholds.Default;
        foreach (var (key, value) in Thresholds)
        {
            if (ThresholdProblem(key) is { } problem) throw new MonitoringInputException($"thresholds.{key}", problem);
            thresholds = thresholds.With(key, value);
        }
        return thresholds;
    }

    private static string[] List(string text) =>
        text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

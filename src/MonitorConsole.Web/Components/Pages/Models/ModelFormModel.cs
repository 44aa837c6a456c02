using System.Globalization;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Web.Components.Pages.Models;

/// <summary>The model form's fields as people type them; turned into a <see cref="ModelConfigInput"/> on save.</summary>
public sealed class ModelFormModel
{
    public string ModelId { get; set; } = "";
    public string ModelVersion { get; set; } = "";
    public ScheduleKind Schedule { get; set; } = ScheduleKind.Daily;
    public string? Cron { get; set; }
    public string TimeZone { get; set; } = "UTC";
    public double PsiWarning { get; set; } = DriftThresholds.Default.PsiWarning;
    public double PsiCritical { get; set; } = DriftThresholds.Default.PsiCritical;
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
    public double? TrailingWindowHours { get; set; }

    public static ModelFormModel From(ModelConfigView v) => new()
    {
        ModelId = v.ModelId,
        ModelVersion = v.ModelVersion,
        Schedule = v.Schedule,
        Cron = v.Cron,
        TimeZone = v.TimeZone,
        PsiWarning = v.Thresholds.PsiWarning,
        PsiCritical = v.Thresholds.PsiCritical,
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
        Thresholds = DriftThresholds.Default with { PsiWarning = PsiWarning, PsiCritical = PsiCritical },
        Features = List(Features),
        Categorical = List(Categorical),
        OutputColumn = string.IsNullOrWhiteSpace(OutputColumn) ? null : OutputColumn.Trim(),
        Webhooks = Webhooks.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Enabled = Enabled,
        TrailingWindowHours = TrailingWindowHours,
    };

    private static string[] List(string text) =>
        text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

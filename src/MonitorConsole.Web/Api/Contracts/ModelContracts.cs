using System.ComponentModel;
using System.Text.Json;
using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Web.Api.Contracts;

/// <summary>Documents the JSON body ObservationJsonReader reads by hand (observations, and the optional data of a run now).</summary>
[Description("Observations for a model. Every part is optional; nothing is stored when one value is bad. " +
             "As text/csv instead: a header row of column names, then one row per observation.")]
public sealed record ObservationBatchBody(
    [property: Description("One object per observation: column name to a number, string, true/false or null.")]
    IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>? Rows = null,
    IReadOnlyList<BiasObservationBody>? Bias = null,
    IReadOnlyList<SafetyEventBody>? SafetyEvents = null);

[Description("A bias metric for one stratum, its baseline and current value.")]
public sealed record BiasObservationBody(string MetricName, string StratumType, string StratumValue, double BaselineValue, double CurrentValue);

[Description("A safety event the model's service observed.")]
public sealed record SafetyEventBody(
    string EventType,
    [property: Description("LOW, MEDIUM, HIGH or CRITICAL, in any case.")] string Severity,
    string? Description = null);

/// <summary>Documents the optional body of POST .../alert/acknowledge.</summary>
[Description("An optional note kept with the acknowledgement and recorded in the ledger.")]
public sealed record AlertAcknowledgement(string? Note = null);

[Description("A drift or data-quality metric of the registry.")]
public sealed record DriftMetricInfo(
    [property: Description("The snake_case key used in the API and storage; never changes once released.")] string Name,
    string Label,
    [property: Description("numeric, categorical or both (feature kinds), or dataset (the data set as a whole).")] string AppliesTo,
    [property: Description("The exact formula, as docs/drift-metrics.md shows it.")] string Definition,
    [property: Description("The spec version that introduced it.")] string Spec,
    [property: Description("A .NET numeric format for showing a value.")] string Format,
    IReadOnlyList<MetricThresholdInfo> Thresholds)
{
    public static DriftMetricInfo From(DriftMetric m) => new(m.Name, m.Label, m.AppliesTo.ToString().ToLowerInvariant(),
        m.Definition, m.Spec, m.Format, [.. m.Thresholds.Select(MetricThresholdInfo.From)]);
}

[Description("A threshold of a metric: crossing it raises the level.")]
public sealed record MetricThresholdInfo(
    string Key,
    string Label,
    [property: Description("WARNING or CRITICAL.")] string Raises,
    [property: Description("below (a p-value) or at_or_above.")] string Direction,
    [property: Description("The value used when the model's configuration sets none.")] double? Default)
{
    public static MetricThresholdInfo From(MetricThreshold t) =>
        new(t.Key, t.Label, t.Raises.ToString().ToUpperInvariant(), t.IsAlpha ? "below" : "at_or_above", t.Default);
}

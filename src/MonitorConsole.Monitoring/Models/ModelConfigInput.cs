using MonitorConsole.Audit;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Alerts;
using MonitorConsole.Monitoring.Scheduling;

namespace MonitorConsole.Monitoring.Models;

/// <summary>What a data scientist sets for a model; validated as a whole before anything is saved.</summary>
public sealed record ModelConfigInput
{
    public string ModelId { get; init; } = "";
    public string ModelVersion { get; init; } = "";
    public ScheduleKind Schedule { get; init; } = ScheduleKind.Daily;

    /// <summary>The CUSTOM schedule's cron, under the original design's name.</summary>
    [JsonPropertyName("schedule_cron")]
    public string? Cron { get; init; }

    /// <summary>
    /// The same field under the name the API first read (<c>cron</c>), still accepted so that existing clients keep
    /// working; never written back.
    /// </summary>
    [JsonPropertyName("cron")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CronAlias
    {
        get => null;
        init => _cronAlias = value;
    }

    private readonly string? _cronAlias;

    /// <summary>The cron as given under either name; both names with different values is an error.</summary>
    internal string? GivenCron =>
        Cron is not null && _cronAlias is not null && Cron.Trim() != _cronAlias.Trim()
            ? throw new MonitoringInputException("schedule_cron", $"is given twice with different values ('{Cron}' and, under its old name cron, '{_cronAlias}'); send schedule_cron only")
            : Cron ?? _cronAlias;

    public string? TimeZone { get; init; }
    public DriftThresholds Thresholds { get; init; } = DriftThresholds.Default;
    public IReadOnlyList<string> Features { get; init; } = [];
    public IReadOnlyList<string> Categorical { get; init; } = [];
    public string? OutputColumn { get; init; }
    public IReadOnlyList<string> Webhooks { get; init; } = [];
    public bool Enabled { get; init; } = true;
    public double? TrailingWindowHours { get; init; }

    /// <summary>The longest trailing window: a year of hours.</summary>
    public const double MaxTrailingWindowHours = 24 * 366;
}

/// <summary>A model's configuration as callers see it.</summary>
public sealed record ModelConfigView(
    string ModelId,
    string ModelVersion,
    ScheduleKind Schedule,
    [property: JsonPropertyName("schedule_cron")] string? Cron,
    string TimeZone,
    DriftThresholds Thresholds,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Categorical,
    string? OutputColumn,
    IReadOnlyList<string> Webhooks,
    bool Enabled,
    double? TrailingWindowHours,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    bool HasBaseline);

internal static partial class ModelConfigMapping
{
    public static readonly JsonSerializerOptions Json = LedgerJson.Options;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ModelIdPattern();

    /// <summary>Checks every field and returns the input with defaults filled in; throws naming the first bad field.</summary>
    public static ModelConfigInput Validate(ModelConfigInput input, MonitoringOptions options, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(input.ModelId) || !ModelIdPattern().IsMatch(input.ModelId))
            throw new MonitoringInputException("model_id", "must be 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (string.IsNullOrWhiteSpace(input.ModelVersion) || input.ModelVersion.Length > 64)
            throw new MonitoringInputException("model_version", "is required (at most 64 characters)");
        input = input with { Cron = input.GivenCron, CronAlias = null };
        var timeZone = string.IsNullOrWhiteSpace(input.TimeZone) ? options.DefaultTimeZone : input.TimeZone.Trim();
        // A cron that matches no future moment (31 February, a year gone by) would be saved and then refused by the
        // scheduler at every start-up: it is refused here, where the person can still change it.
        if (ScheduleCalculator.Expression(input.Schedule, input.Cron, timeZone).GetNextValidTimeAfter(now) is null)
            throw new MonitoringInputException("schedule_cron", $"'{input.Cron?.Trim()}' never runs: no date from now on matches it; choose a schedule that fires at least once");
        if (input.Schedule != ScheduleKind.Custom && !string.IsNullOrWhiteSpace(input.Cron))
            throw new MonitoringInputException("schedule_cron", "is only used with a CUSTOM schedule");
        try
        {
            input.Thresholds.Validate();
        }
        catch (DriftInputException ex)
        {
            throw new MonitoringInputException($"thresholds.{ex.Field}", ex.Problem);
        }
        foreach (var c in input.Categorical)
            if (!input.Features.Contains(c) && input.Features.Count > 0)
                throw new MonitoringInputException("categorical", $"'{c}' is not among the monitored features");
        if (input.TrailingWindowHours is { } hours && (!double.IsFinite(hours) || hours <= 0 || hours > ModelConfigInput.MaxTrailingWindowHours))
            throw new MonitoringInputException("trailing_window_hours", $"must be a number of hours above 0 and at most {ModelConfigInput.MaxTrailingWindowHours:0} (a year)");
        foreach (var entry in input.Webhooks) AlertTarget.Parse(entry, options);
        return input with
        {
            ModelId = input.ModelId.Trim(),
            ModelVersion = input.ModelVersion.Trim(),
            TimeZone = timeZone,
            Cron = input.Schedule == ScheduleKind.Custom ? input.Cron!.Trim() : null,
        };
    }

    public static void Apply(ModelConfigInput input, ModelConfig entity, DateTime now)
    {
        entity.ModelId = input.ModelId;
        entity.ModelVersion = input.ModelVersion;
        entity.Schedule = input.Schedule;
        entity.Cron = input.Cron;
        entity.TimeZone = input.TimeZone!;
        entity.ThresholdsJson = JsonSerializer.Serialize(input.Thresholds, Json);
        entity.FeaturesJson = JsonSerializer.Serialize(input.Features);
        entity.CategoricalJson = JsonSerializer.Serialize(input.Categorical);
        entity.OutputColumn = string.IsNullOrWhiteSpace(input.OutputColumn) ? null : input.OutputColumn.Trim();
        entity.WebhooksJson = JsonSerializer.Serialize(input.Webhooks);
        entity.Enabled = input.Enabled;
        entity.TrailingWindowHours = input.TrailingWindowHours;
        entity.UpdatedAt = now;
    }

    public static ModelConfigView View(ModelConfig e, bool hasBaseline) => new(
        e.ModelId, e.ModelVersion, e.Schedule, e.Cron, e.TimeZone,
        JsonSerializer.Deserialize<DriftThresholds>(e.ThresholdsJson, Json) ?? DriftThresholds.Default,
        JsonSerializer.Deserialize<List<string>>(e.FeaturesJson) ?? [],
        JsonSerializer.Deserialize<List<string>>(e.CategoricalJson) ?? [],
        e.OutputColumn,
        JsonSerializer.Deserialize<List<string>>(e.WebhooksJson) ?? [],
        e.Enabled, e.TrailingWindowHours, e.CreatedAt, e.UpdatedAt, hasBaseline);
}

/// <summary>Alert webhooks must be absolute https URLs (http only when configuration allows it).</summary>

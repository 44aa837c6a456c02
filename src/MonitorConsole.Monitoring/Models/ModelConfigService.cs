using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Drift;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Scheduling;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Models;

/// <summary>What was read from an uploaded baseline.</summary>
public sealed record BaselineSummary(int Rows, IReadOnlyList<BaselineColumn> Columns);

/// <summary>The baseline a model has now: how big it is and when it was uploaded.</summary>
public sealed record StoredBaseline(int Rows, IReadOnlyList<string> Columns, DateTime UploadedAt);

public sealed record BaselineColumn(string Name, string Type, double MissingShare);

/// <summary>
/// Creates, changes and deletes model configurations and baselines. Every change is an audit entry with the acting
/// user, and the schedule follows it. The order is always the same: validate everything, append the ledger entry,
/// then apply the change — so a crash or failure in between leaves at worst a recorded change that did not happen,
/// never a change without its record.
/// </summary>
public sealed class ModelConfigService(
    MonitoringDatabase database,
    ActionLog log,
    DriftScheduleSync schedules,
    IOptions<MonitoringOptions> options,
    TimeProvider clock)
{
    public const long MaxBaselineBytes = CsvUpload.DefaultMaxBytes;

    public async Task<IReadOnlyList<ModelConfigView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var baselines = await db.Baselines.Select(b => b.ModelId).ToListAsync(ct);
        var models = await db.Models.AsNoTracking().OrderBy(m => m.ModelId).ToListAsync(ct);
        return models.Select(m => ModelConfigMapping.View(m, baselines.Contains(m.ModelId))).ToList();
    }

    public async Task<ModelConfigView?> GetAsync(string modelId, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.ModelId == modelId, ct);
        if (model is null) return null;
        return ModelConfigMapping.View(model, await db.Baselines.AnyAsync(b => b.ModelId == modelId, ct));
    }

    /// <summary>The columns of the model's baseline, for picking features; empty when it has none yet.</summary>
    public async Task<IReadOnlyList<string>> BaselineColumnsAsync(string modelId, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var json = await db.Baselines.Where(b => b.ModelId == modelId).Select(b => b.ColumnsJson).FirstOrDefaultAsync(ct);
        return json is null ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];
    }

    /// <summary>Creates the model or replaces its configuration.</summary>
    public async Task<ModelConfigView> ConfigureAsync(Caller caller, ModelConfigInput input, CancellationToken ct = default)
    {
        caller.Require(Permission.ConfigureModels);
        var valid = ModelConfigMapping.Validate(input, options.Value, clock.GetUtcNow());
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await database.CreateDbContextAsync(ct);
        var baseline = await db.Baselines.AsNoTracking().FirstOrDefaultAsync(b => b.ModelId == valid.ModelId, ct);
        if (baseline is not null) CheckFeaturesInBaseline(valid, JsonSerializer.Deserialize<List<string>>(baseline.ColumnsJson) ?? []);
        var entity = await db.Models.FirstOrDefaultAsync(m => m.ModelId == valid.ModelId, ct);
        var created = entity is null;
        var before = created ? null : ModelConfigMapping.View(entity!, baseline is not null);
        if (entity is null)
        {
            entity = new ModelConfig { CreatedAt = now };
            db.Models.Add(entity);
        }
        ModelConfigMapping.Apply(valid, entity, now);
        var view = ModelConfigMapping.View(entity, baseline is not null);
        await AuditAsync(created ? "MODEL_CREATED" : "MODEL_UPDATED", caller.Actor, valid.ModelId, ConfigChanges.Describe(view, before), ct);
        await db.SaveChangesAsync(CancellationToken.None);
        await schedules.ScheduleAsync(entity, CancellationToken.None);
        return view;
    }

    public async Task<ModelConfigView> SetEnabledAsync(Caller caller, string modelId, bool enabled, CancellationToken ct = default)
    {
        caller.Require(Permission.ConfigureModels);
        await using var db = await database.CreateDbContextAsync(ct);
        var entity = await db.Models.FirstOrDefaultAsync(m => m.ModelId == modelId, ct) ?? throw new ModelNotFoundException(modelId);
        var hasBaseline = await db.Baselines.AnyAsync(b => b.ModelId == modelId, ct);
        await AuditAsync(enabled ? "MODEL_ENABLED" : "MODEL_DISABLED", caller.Actor, modelId, new { model_id = modelId, enabled }, ct);
        entity.Enabled = enabled;
        entity.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(CancellationToken.None);
        return ModelConfigMapping.View(entity, hasBaseline);
    }

    /// <summary>Deletes the model, its baseline and pending observations; its run history stays.</summary>
    public async Task DeleteAsync(Caller caller, string modelId, CancellationToken ct = default)
    {
        caller.Require(Permission.ConfigureModels);
        await using var db = await database.CreateDbContextAsync(ct);
        var entity = await db.Models.FirstOrDefaultAsync(m => m.ModelId == modelId, ct) ?? throw new ModelNotFoundException(modelId);
        var last = ModelConfigMapping.View(entity, false);
        await AuditAsync("MODEL_DELETED", caller.Actor, modelId, last, ct);
        // Recorded: from here on the change is carried out whatever the caller's token says.
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            await db.Baselines.Where(b => b.ModelId == modelId).ExecuteDeleteAsync(CancellationToken.None);
            await db.Observations.Where(o => o.ModelId == modelId).ExecuteDeleteAsync(CancellationToken.None);
            db.Models.Remove(entity);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        await schedules.UnscheduleAsync(modelId, CancellationToken.None);
    }

    /// <summary>The model's current baseline, or null when it has none.</summary>
    public async Task<StoredBaseline?> BaselineAsync(string modelId, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var stored = await db.Baselines.Where(b => b.ModelId == modelId)
            .Select(b => new { b.Rows, b.ColumnsJson, b.UploadedAt }).FirstOrDefaultAsync(ct);
        return stored is null ? null
            : new StoredBaseline(stored.Rows, JsonSerializer.Deserialize<List<string>>(stored.ColumnsJson) ?? [], stored.UploadedAt);
    }

    /// <summary>What a baseline CSV holds, read and checked as an upload would be but not saved, so a person can look first.</summary>
    public async Task<BaselineSummary> PreviewBaselineAsync(Stream csv, CancellationToken ct = default)
    {
        var (_, columns) = await CsvUpload.ReadAsync(csv, "baseline", MaxBaselineBytes, ct);
        return Summarize(columns);
    }

    /// <summary>Replaces the model's baseline with a CSV (header row; one column per feature, outputs optional).</summary>
    public async Task<BaselineSummary> ReplaceBaselineAsync(Caller caller, string modelId, Stream csv, CancellationToken ct = default)
    {
        caller.Require(Permission.ConfigureModels);
        var (text, columns) = await CsvUpload.ReadAsync(csv, "baseline", MaxBaselineBytes, ct);
        var summary = Summarize(columns);

        await using var db = await database.CreateDbContextAsync(ct);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.ModelId == modelId, ct) ?? throw new ModelNotFoundException(modelId);
        var view = ModelConfigMapping.View(model, true);
        CheckFeaturesInBaseline(new ModelConfigInput { Features = view.Features, OutputColumn = view.OutputColumn }, columns.Keys.ToList());
        var entity = await db.Baselines.FirstOrDefaultAsync(b => b.ModelId == modelId, ct);
        await AuditAsync("BASELINE_REPLACED", caller.Actor, modelId, new { model_id = modelId, rows = summary.Rows, columns = summary.Columns }, ct);
        if (entity is null) db.Baselines.Add(entity = new ModelBaseline { ModelId = modelId });
        entity.Csv = text;
        entity.Rows = summary.Rows;
        entity.ColumnsJson = JsonSerializer.Serialize(columns.Keys);
        entity.UploadedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(CancellationToken.None);
        return summary;
    }

    private static BaselineSummary Summarize(Dictionary<string, FeatureColumn> columns)
    {
        var list = columns.Select(c =>
        {
            var categories = c.Value.AsCategories();
            var missing = categories.Count(v => v is null);
            return new BaselineColumn(c.Key, c.Value.LooksNumeric() ? "numeric" : "categorical", (double)missing / Math.Max(categories.Length, 1));
        }).ToList();
        return new BaselineSummary(columns.Values.First().Length, list);
    }

    private static void CheckFeaturesInBaseline(ModelConfigInput input, IReadOnlyCollection<string> columns)
    {
        foreach (var feature in input.Features)
            if (!columns.Contains(feature))
                throw new MonitoringInputException("features", $"'{feature}' is not a column of the baseline ({string.Join(", ", columns)})");
        if (input.OutputColumn is { Length: > 0 } output && !columns.Contains(output))
            throw new MonitoringInputException("output_column", $"'{output}' is not a column of the baseline");
    }

    private Task AuditAsync(string action, string actor, string modelId, object data, CancellationToken ct) =>
        log.RecordAsync(action, actor, "model", modelId, data, ct);
}

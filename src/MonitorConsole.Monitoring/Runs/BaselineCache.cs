using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Monitoring.Runs;

/// <summary>A model's baseline prepared for runs and for checking observations at ingest.</summary>
public sealed record PreparedBaseline(string Version, DriftDetector Detector, bool? OutputNumeric);

/// <summary>
/// Baselines prepared once per configuration and baseline version, shared by every run and every ingest of the model.
/// </summary>
public sealed class BaselineCache(MonitoringDatabase database)
{
    private readonly ConcurrentDictionary<string, PreparedBaseline> _prepared = new();

    /// <summary>The prepared baseline, or null when the model has none; a baseline that cannot be prepared throws.</summary>
    public async Task<PreparedBaseline?> FindAsync(ModelConfigView model, CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        // Only the upload time is read every time; the baseline itself (up to 64 MiB) only when it changed.
        var uploadedAt = await db.Baselines.Where(b => b.ModelId == model.ModelId).Select(b => (DateTime?)b.UploadedAt).FirstOrDefaultAsync(ct);
        if (uploadedAt is null) return null;
        var version = $"{model.UpdatedAt:O}|{uploadedAt:O}";
        if (_prepared.TryGetValue(model.ModelId, out var cached) && cached.Version == version) return cached;

        var text = await db.Baselines.Where(b => b.ModelId == model.ModelId).Select(b => b.Csv).FirstAsync(ct);
        using var csv = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var columns = await CsvDataset.LoadAsync(csv, "baseline", ct);
        FeatureColumn? outputs = null;
        if (model.OutputColumn is { } output && columns.Remove(output, out var outputColumn)) outputs = outputColumn;
        var detector = new DriftDetector(columns, new DriftDetectorOptions
        {
            Features = model.Features.Count > 0 ? model.Features : null,
            Categorical = new HashSet<string>(model.Categorical, StringComparer.Ordinal),
            Thresholds = model.Thresholds,
            OutputColumn = model.OutputColumn,
        }, outputs);
        var prepared = new PreparedBaseline(version, detector, outputs?.LooksNumeric());
        _prepared[model.ModelId] = prepared;
        return prepared;
    }
}

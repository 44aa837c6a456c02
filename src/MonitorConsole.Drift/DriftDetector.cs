using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Drift;

/// <summary>Which features to monitor and how; features default to every column of the baseline.</summary>
public sealed record DriftDetectorOptions
{
    public IReadOnlyList<string>? Features { get; init; }
    public IReadOnlySet<string> Categorical { get; init; } = new HashSet<string>(StringComparer.Ordinal);
    public DriftThresholds Thresholds { get; init; } = DriftThresholds.Default;

    /// <summary>The model's output column: left out of the column checks on both sides.</summary>
    public string? OutputColumn { get; init; }
}

/// <summary>
/// Compares current data with a baseline (drift spec v1, docs/drift-metrics.md). The baseline is prepared once — bin
/// edges, shares and sorted values per feature — and reused by every <see cref="Compute"/>.
/// </summary>
public sealed class DriftDetector
{
    private readonly FeatureBaseline[] _features;
    private readonly FeatureBaseline? _outputs;
    private readonly DriftThresholds _thresholds;
    private readonly HashSet<string> _baselineColumns;
    private readonly string? _outputColumn;

    public DriftDetector(IReadOnlyDictionary<string, FeatureColumn> baseline, DriftDetectorOptions options,
        FeatureColumn? baselineOutputs = null)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        options.Thresholds.Validate();
        _thresholds = options.Thresholds;
        if (baseline.Count == 0) throw new DriftInputException("baseline", "is empty: it has no columns");
        _outputColumn = options.OutputColumn;
        _baselineColumns = new HashSet<string>(baseline.Keys.Where(k => k != _outputColumn), StringComparer.Ordinal);
        var names = options.Features is { Count: > 0 } f ? f : baseline.Keys.ToList();
        foreach (var name in names)
            if (!baseline.ContainsKey(name)) throw new DriftInputException(name, "is monitored but not in the baseline");
        foreach (var name in options.Categorical)
            if (!names.Contains(name)) throw new DriftInputException(name, "is declared categorical but not monitored");

        _features = new FeatureBaseline[names.Count];
        ForEachFeature(names.Count, i => _features[i] = Prepare(names[i], baseline[names[i]], options.Categorical.Contains(names[i])));
        if (baselineOutputs is not null) _outputs = Prepare("model_output", baselineOutputs, declaredCategorical: false);
    }

    public IReadOnlyList<FeatureBaseline> Features => _features;

    public DriftReport Compute(
        IReadOnlyDictionary<string, FeatureColumn> current,
        FeatureColumn? outputs = null,
        IReadOnlyList<BiasObservation>? bias = null,
        IReadOnlyList<SafetyEvent>? safety = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        // A window with only bias metrics or safety events has no rows: it is judged on those alone.
        var hasRows = current.Values.Any(c => c.Length > 0);
        if (hasRows) CheckMonitoredPresent(current.Keys);
        if (outputs is not null && _outputs is null)
            throw new DriftInputException("outputs", "the configuration has no baseline outputs to compare them with");

        var results = new FeatureDrift[hasRows ? _features.Length : 0];
        ForEachFeature(results.Length, i => results[i] = Compare(_features[i], current[_features[i].Name]));
        var output = outputs is null || outputs.Length == 0 ? null : Compare(_outputs!, outputs);
        return Report(results, output, hasRows ? current.Keys : null, bias ?? [], safety ?? []);
    }

    /// <summary>
    /// The same report over a window read column by column: at most one feature per core is in memory at a time, so
    /// a window of any length needs about (rows × 8 bytes × 3) per core rather than per feature.
    /// </summary>
    public async Task<DriftReport> ComputeAsync(
        IColumnSource current,
        string? outputColumn,
        IReadOnlyList<BiasObservation> bias,
        IReadOnlyList<SafetyEvent> safety,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        var hasRows = current.RowCount > 0;
        if (hasRows) CheckMonitoredPresent(current.ColumnNames);
        var results = new FeatureDrift[hasRows ? _features.Length : 0];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, results.Length), parallel, async (i, token) =>
        {
            var column = await current.ReadAsync(_features[i].Name, token);
            results[i] = Compare(_features[i], column);
        });
        FeatureDrift? output = null;
        if (hasRows && outputColumn is not null && current.ColumnNames.Contains(outputColumn))
        {
            if (_outputs is null)
                throw new DriftInputException("outputs", "the configuration has no baseline outputs to compare them with");
            output = Compare(_outputs, await current.ReadAsync(outputColumn, ct));
        }
        return Report(results, output, hasRows ? current.ColumnNames : null, bias, safety);
    }

    private void CheckMonitoredPresent(IEnumerable<string> columns)
    {
        var present = columns as IReadOnlySet<string> ?? columns.ToHashSet(StringComparer.Ordinal);
        foreach (var feature in _features)
            if (!present.Contains(feature.Name))
                throw new DriftInputException(feature.Name, "is monitored but missing from the current data");
    }

    private DriftReport Report(FeatureDrift[] results, FeatureDrift? output, IEnumerable<string>? columns,
        IReadOnlyList<BiasObservation> bias, IReadOnlyList<SafetyEvent> safetyEvents)
    {
        IReadOnlyList<MetricValue> dataset = columns is not null
            ? MetricRegistry.Evaluate(new DatasetInput(_baselineColumns,
                new HashSet<string>(columns.Where(k => k != _outputColumn), StringComparer.Ordinal)), _thresholds)
            : [];
        var biasResults = bias.Select(Judge).ToList();

        var overall = AlertLevel.Normal;
        foreach (var r in results) overall = FeatureDriftCalculator.Max(overall, r.AlertLevel);
        if (output is not null) overall = FeatureDriftCalculator.Max(overall, output.AlertLevel);
        foreach (var b in biasResults) overall = FeatureDriftCalculator.Max(overall, b.AlertLevel);
        foreach (var e in safetyEvents) overall = FeatureDriftCalculator.Max(overall, SafetyLevel(e.Severity));
        foreach (var d in dataset) overall = FeatureDriftCalculator.Max(overall, d.Level);

        var drifted = results.Count(r => r.AlertLevel >= AlertLevel.Warning);
        return new DriftReport(
            overall,
            results.ToDictionary(r => r.Name, StringComparer.Ordinal),
            output,
            biasResults,
            safetyEvents,
            results.Length,
            drifted,
            results.Length == 0 ? 0 : (double)drifted / results.Length,
            biasResults.Count(b => b.AlertLevel >= AlertLevel.Warning),
            safetyEvents.Count(e => SafetyLevel(e.Severity) >= AlertLevel.Warning)) { Dataset = dataset };
    }

    /// <summary>Features are independent, so they are worked on in parallel; the first bad one is reported as itself.</summary>
    private static void ForEachFeature(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, body);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<DriftInputException>().FirstOrDefault() is { } first)
        {
            throw first;
        }
    }

    private static FeatureBaseline Prepare(string name, FeatureColumn column, bool declaredCategorical) =>
        declaredCategorical || !column.LooksNumeric()
            ? FeatureBaseline.Categorical(name, column.AsCategories())
            : FeatureBaseline.Numeric(name, column.AsNumbers(name));

    /// <summary>
    /// Spec v1's metrics in one pass, then every registry metric (the data-quality checks among them); the feature's
    /// level is the highest any of them gives. For the v1 metrics the registry's levels equal the calculator's.
    /// </summary>
    private FeatureDrift Compare(FeatureBaseline baseline, FeatureColumn current)
    {
        double[]? numbers = null;
        string?[]? categories = null;
        FeatureDrift drift;
        if (baseline.Kind == FeatureKind.Numeric)
            drift = FeatureDriftCalculator.Numeric(baseline, numbers = current.AsNumbers(baseline.Name), _thresholds);
        else
            drift = FeatureDriftCalculator.Categorical(baseline, categories = current.AsCategories(), _thresholds);
        var values = MetricRegistry.Evaluate(new FeatureInput(baseline, drift, numbers, categories), _thresholds);
        var level = drift.AlertLevel;
        foreach (var v in values) level = FeatureDriftCalculator.Max(level, v.Level);
        return drift with { Values = values, AlertLevel = level };
    }

    private BiasResult Judge(BiasObservation b)
    {
        if (!double.IsFinite(b.BaselineValue) || !double.IsFinite(b.CurrentValue))
            throw new DriftInputException($"bias.{b.MetricName}", "baseline_value and current_value must be finite numbers");
        var difference = Math.Abs(b.CurrentValue - b.BaselineValue);
        // 0.12 − 0.02 is 0.09999999999999999 in binary floating point; a gap that prints as the threshold meets it.
        const double representationError = 1e-12;
        var level = difference >= _thresholds.BiasCritical - representationError ? AlertLevel.Critical
            : difference >= _thresholds.BiasWarning - representationError ? AlertLevel.Warning
            : AlertLevel.Normal;
        return new BiasResult(b, difference, level);
    }

    private static AlertLevel SafetyLevel(SafetySeverity severity) => severity switch
    {
        SafetySeverity.Critical => AlertLevel.Critical,
        SafetySeverity.High => AlertLevel.Warning,
        _ => AlertLevel.Normal,
    };
}

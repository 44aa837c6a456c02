using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;

namespace MonitorConsole.Monitoring.Ingestion;

/// <summary>
/// What a batch of rows must hold for a model: the monitored features (the model's list, else the baseline's columns)
/// and the output column when configured; which of them are numeric (numeric in the baseline and not declared
/// categorical) and which categorical. Other columns are kept as numbers while they are numbers.
/// </summary>
internal sealed class ObservationSchema
{
    private readonly Dictionary<string, ColumnMode> _modes = new(StringComparer.Ordinal);

    public ObservationSchema(ModelConfigView model, PreparedBaseline? baseline)
    {
        if (baseline is not null)
        {
            foreach (var f in baseline.Detector.Features)
                _modes[f.Name] = f.Kind == FeatureKind.Numeric ? ColumnMode.Numeric : ColumnMode.Categorical;
        }
        else
        {
            foreach (var f in model.Features) _modes[f] = ColumnMode.Auto;
            foreach (var c in model.Categorical) _modes[c] = ColumnMode.Categorical;
        }
        Required = [.. _modes.Keys];
        if (model.OutputColumn is { } output)
        {
            Required.Add(output);
            _modes[output] = baseline?.OutputNumeric switch
            {
                true => ColumnMode.Numeric,
                false => ColumnMode.Categorical,
                null => ColumnMode.Auto,
            };
        }
    }

    public List<string> Required { get; }

    public ColumnMode ModeOf(string column) => _modes.GetValueOrDefault(column, ColumnMode.Auto);

    /// <summary>Throws naming the first required column the batch lacks.</summary>
    public void CheckPresent(IEnumerable<string> columns, string where)
    {
        var present = columns.ToHashSet(StringComparer.Ordinal);
        foreach (var name in Required)
            if (!present.Contains(name)) throw new MonitoringInputException(name, $"is monitored but missing from {where}");
    }

    public static string Problem(ValueProblem problem, string value)
    {
        if (value.Length > 80) value = value[..80] + "…";
        return problem == ValueProblem.NotFinite ? $"'{value}' is not a finite number" : $"'{value}' is not a number";
    }
}

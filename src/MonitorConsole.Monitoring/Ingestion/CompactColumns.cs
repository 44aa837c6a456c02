using System.Runtime.InteropServices;
using System.Text.Json;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Ingestion;

/// <summary>
/// The compact form of observation rows, per batch and column: numbers as little-endian float64 (NaN for missing),
/// categories as a label list and little-endian int32 codes (−1 for missing). A run copies numbers straight into its
/// arrays; no value becomes a string on the way. (Raw memory copies: .NET runs little-endian on every platform it
/// supports.)
/// </summary>
internal static class CompactColumns
{
    public static ObservationColumn Encode(long batchId, int position, ColumnBuilder column) => column.IsNumeric
        ? new ObservationColumn
        {
            ObservationId = batchId,
            Position = position,
            Name = column.Name,
            Kind = ObservationColumnKind.Numbers,
            Count = column.Count,
            Data = column.NumberBytes.ToArray(),
        }
        : new ObservationColumn
        {
            ObservationId = batchId,
            Position = position,
            Name = column.Name,
            Kind = ObservationColumnKind.Categories,
            Count = column.Count,
            Data = column.CodeBytes.ToArray(),
            LabelsJson = JsonSerializer.Serialize(column.Labels),
        };

    public static ReadOnlySpan<double> Numbers(ObservationColumn column) => MemoryMarshal.Cast<byte, double>(column.Data.AsSpan());

    public static ReadOnlySpan<int> Codes(ObservationColumn column) => MemoryMarshal.Cast<byte, int>(column.Data.AsSpan());

    public static string[] Labels(ObservationColumn column) => JsonSerializer.Deserialize<string[]>(column.LabelsJson ?? "[]") ?? [];
}

/// <summary>
/// One column of a run's window, filled batch by batch at each batch's row offset: numbers while every batch holds
/// numbers, canonical category labels from the first batch that holds categories. Rows of a batch without the column
/// are missing.
/// </summary>
internal sealed class WindowColumn(string name, int rows)
{
    private double[]? _numbers;
    private string?[]? _labels;
    // Keyed by bit pattern: as doubles −0 equals 0, but their category labels differ ("-0", "0").
    private readonly Dictionary<long, string> _numberLabels = [];

    public string Name { get; } = name;

    public void PutNumbers(int offset, ReadOnlySpan<double> values)
    {
        if (_labels is null)
        {
            values.CopyTo(Numbers().AsSpan(offset));
            return;
        }
        for (var i = 0; i < values.Length; i++) _labels[offset + i] = Label(values[i]);
    }

    public void PutCategories(int offset, ReadOnlySpan<int> codes, string[] labels)
    {
        var target = Labels();
        for (var i = 0; i < codes.Length; i++) target[offset + i] = codes[i] < 0 ? null : labels[codes[i]];
    }

    public FeatureColumn ToColumn() => _labels is not null ? FeatureColumn.Categories(_labels) : FeatureColumn.Numeric(Numbers());

    private double[] Numbers()
    {
        if (_numbers is null)
        {
            _numbers = GC.AllocateUninitializedArray<double>(rows);
            _numbers.AsSpan().Fill(double.NaN);
        }
        return _numbers;
    }

    private string?[] Labels()
    {
        if (_labels is not null) return _labels;
        _labels = new string?[rows];
        if (_numbers is not null)
            for (var i = 0; i < rows; i++) _labels[i] = Label(_numbers[i]);
        _numbers = null;
        return _labels;
    }

    private string? Label(double value)
    {
        if (!double.IsFinite(value)) return null;
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (!_numberLabels.TryGetValue(bits, out var label)) _numberLabels[bits] = label = FeatureColumn.CanonicalNumber(value);
        return label;
    }
}

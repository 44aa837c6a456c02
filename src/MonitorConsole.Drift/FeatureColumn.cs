using System.Globalization;

namespace MonitorConsole.Drift;

/// <summary>
/// One feature's values: numbers (NaN marks a missing value) or texts (null marks one). Missing values — null, empty,
/// NaN, ±∞ — are left out of every metric and counted.
/// </summary>
public sealed class FeatureColumn
{
    private FeatureColumn(double[]? numbers, string?[]? texts)
    {
        Numbers = numbers;
        Texts = texts;
    }

    public double[]? Numbers { get; }
    public string?[]? Texts { get; }
    public int Length => Numbers?.Length ?? Texts!.Length;

    public static FeatureColumn Numeric(double[] values) => new(values, null);

    public static FeatureColumn Text(string?[] values) => new(null, values);

    /// <summary>Null, empty, NaN or ±∞, written as text (case-insensitive).</summary>
    public static bool IsMissingText(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return true;
        var v = value.Trim();
        return v.Equals("nan", StringComparison.OrdinalIgnoreCase) || v.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || v.Equals("+inf", StringComparison.OrdinalIgnoreCase) || v.Equals("-inf", StringComparison.OrdinalIgnoreCase)
            || v.Equals("infinity", StringComparison.OrdinalIgnoreCase) || v.Equals("+infinity", StringComparison.OrdinalIgnoreCase)
            || v.Equals("-infinity", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when every non-missing value is a number, so the feature is numeric unless declared otherwise.</summary>
    public bool LooksNumeric()
    {
        if (Numbers is not null) return true;
        foreach (var t in Texts!)
            if (!IsMissingText(t) && !TryParse(t!, out _)) return false;
        return true;
    }

    /// <summary>The values as numbers (missing as NaN); a non-numeric value is an error naming feature, row and value.</summary>
    public double[] AsNumbers(string feature)
    {
        if (Numbers is not null) return Numbers;
        var result = new double[Texts!.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var t = Texts[i];
            if (IsMissingText(t)) result[i] = double.NaN;
            else if (TryParse(t!, out var v)) result[i] = v;
            else throw new DriftInputException(feature, $"row {i + 1} has the non-numeric value '{t}' in a numeric feature");
        }
        return result;
    }

    /// <summary>The values as category labels (missing as null); numbers keep their invariant-culture text.</summary>
    public string?[] AsCategories()
    {
        if (Texts is not null)
            return Array.ConvertAll(Texts, t => IsMissingText(t) ? null : t!.Trim());
        return Array.ConvertAll(Numbers!, v => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : null);
    }

    private static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

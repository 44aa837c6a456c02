using System.Globalization;

namespace MonitorConsole.Drift;

/// <summary>
/// One feature's values: numbers (NaN marks a missing value) or texts (null marks one). Missing values — null, empty,
/// NaN, ±∞ — are left out of every metric and counted.
/// </summary>
public sealed class FeatureColumn
{
    // True when the texts are already category labels (trimmed, numbers canonical, missing as null).
    private readonly bool _canonical;

    private FeatureColumn(double[]? numbers, string?[]? texts, bool canonical = false)
    {
        Numbers = numbers;
        Texts = texts;
        _canonical = canonical;
    }

    public double[]? Numbers { get; }
    public string?[]? Texts { get; }
    public int Length => Numbers?.Length ?? Texts!.Length;

    public static FeatureColumn Numeric(double[] values) => new(values, null);

    public static FeatureColumn Text(string?[] values) => new(null, values);

    /// <summary>Labels already in the form <see cref="CanonicalCategory(string?)"/> gives, so a run uses them as they are.</summary>
    public static FeatureColumn Categories(string?[] labels) => new(null, labels, canonical: true);

    /// <summary>Null, empty, NaN or ±∞, written as text (case-insensitive).</summary>
    public static bool IsMissingText(string? value) => value is null || IsMissingText(value.AsSpan());

    /// <inheritdoc cref="IsMissingText(string?)"/>
    public static bool IsMissingText(ReadOnlySpan<char> value)
    {
        var v = value.Trim();
        return v.IsEmpty || v.Equals("nan", StringComparison.OrdinalIgnoreCase) || v.Equals("inf", StringComparison.OrdinalIgnoreCase)
            || v.Equals("+inf", StringComparison.OrdinalIgnoreCase) || v.Equals("-inf", StringComparison.OrdinalIgnoreCase)
            || v.Equals("infinity", StringComparison.OrdinalIgnoreCase) || v.Equals("+infinity", StringComparison.OrdinalIgnoreCase)
            || v.Equals("-infinity", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The category a text stands for (spec v1, "Categories"): null when missing; the shortest round-trip invariant
    /// form when it is a finite number (so 1, 1.0 and 1e0 are one category "1"); else the text trimmed.
    /// </summary>
    public static string? CanonicalCategory(string? text)
    {
        if (IsMissingText(text)) return null;
        var trimmed = text!.Trim();
        return TryParse(trimmed, out var number) ? CanonicalNumber(number) : trimmed;
    }

    /// <summary>The category text of a finite number: its shortest round-trip form in the invariant culture.</summary>
    public static string CanonicalNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

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

    /// <summary>The values as category labels (missing as null), each in its canonical form.</summary>
    public string?[] AsCategories()
    {
        if (_canonical) return Texts!;
        if (Texts is not null) return Array.ConvertAll(Texts, CanonicalCategory);
        return Array.ConvertAll(Numbers!, v => double.IsFinite(v) ? CanonicalNumber(v) : null);
    }

    /// <summary>A finite number in the invariant culture (surrounding white space allowed).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

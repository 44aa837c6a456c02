using System.Globalization;
using MonitorConsole.Audit;

namespace MonitorConsole.Web.Components.Shared;

/// <summary>
/// A form's problems, each kept at the field it belongs to, so the page shows it under that input rather than in a
/// banner naming the field by its API name.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? this[string field] => _errors.GetValueOrDefault(field);

    /// <summary>The first problem for a field is the one shown; later ones wait until it is fixed.</summary>
    public void Add(string field, string message) => _errors.TryAdd(field, Sentence(message));

    /// <summary>A service's refusal, at the field it names.</summary>
    public void Add(InputException refused) => Add(refused.Field, refused.Problem);

    public void Clear() => _errors.Clear();

    /// <summary>The problems of fields the form has no input for (they still reach the person, in words).</summary>
    public IEnumerable<string> Outside(IReadOnlySet<string> shownFields) =>
        _errors.Where(e => !shownFields.Contains(e.Key)).Select(e => e.Value);

    private static string Sentence(string problem)
    {
        var text = problem.Trim();
        if (text.Length == 0) return text;
        text = char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];
        return text.EndsWith('.') ? text : text + ".";
    }
}

/// <summary>
/// Reads numbers as people type them into a text box: the number typed or a reason, never a silent substitute (a
/// numeric input that cannot hold the text keeps its last value, which is how 999999999999 became 1).
/// </summary>
public static class TypedNumber
{
    public static bool TryWhole(string? text, long min, long max, out long value, out string problem)
    {
        value = 0;
        problem = "";
        if (string.IsNullOrWhiteSpace(text)) { problem = "Enter a number"; return false; }
        if (!long.TryParse(text.Trim().Replace("_", ""), NumberStyles.AllowThousands | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign,
                CultureInfo.InvariantCulture, out value))
        {
            problem = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var big) && decimal.Truncate(big) == big
                ? $"Enter a whole number from {min:N0} to {max:N0}"
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? "Enter a whole number"
                    : $"'{text.Trim()}' is not a number";
            return false;
        }
        if (value < min || value > max) { problem = $"Enter a whole number from {min:N0} to {max:N0}"; return false; }
        return true;
    }

    public static bool TryDecimal(string? text, double min, double max, out double value, out string problem)
    {
        value = 0;
        problem = "";
        if (string.IsNullOrWhiteSpace(text)) { problem = "Enter a number"; return false; }
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            problem = $"'{text.Trim()}' is not a number";
            return false;
        }
        if (value < min || value > max)
        {
            problem = $"Enter a number from {Show(min)} to {Show(max)}";
            return false;
        }
        return true;
    }

    public static string Show(double value) => value.ToString("#,0.###", CultureInfo.InvariantCulture);
}

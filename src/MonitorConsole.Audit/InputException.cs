namespace MonitorConsole.Audit;

/// <summary>
/// Bad input, in any part of the console: names the field and the problem, in words for the person who typed it.
/// Nothing was written. The API turns it into a 400 naming the field; pages show it at the field.
/// </summary>
public class InputException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;

    /// <summary>The field in words and the problem, for a page: "User name: may not start with 'key:' — …".</summary>
    public string ForPeople =>
        Field.Contains(':', StringComparison.Ordinal) || Field.Length == 0
            ? Message
            : $"{char.ToUpperInvariant(Field[0])}{Field[1..].Replace('_', ' ')}: {Problem}";
}

using System.Text;

namespace MonitorConsole.Audit.Search;

/// <summary>
/// How text is cut into search words, the same for what is indexed and what is searched: lower-case runs of letters
/// and digits, 2 to 64 characters. "credit_risk-2024.csv" holds credit, risk, 2024 and csv, so searching for it finds
/// entries that hold all four words.
/// </summary>
public static class SearchTokens
{
    public const int MinLength = 2;
    public const int MaxLength = 64;

    /// <summary>The distinct words of the texts, in first-seen order, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<string> Of(int max, params string?[] texts)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var text in texts)
        {
            if (text is null) continue;
            foreach (var c in text)
            {
                if (char.IsLetterOrDigit(c))
                {
                    word.Append(char.ToLowerInvariant(c));
                    continue;
                }
                if (Take(word, seen, words) && words.Count >= max) return words;
            }
            if (Take(word, seen, words) && words.Count >= max) return words;
        }
        return words;
    }

    private static bool Take(StringBuilder word, HashSet<string> seen, List<string> words)
    {
        if (word.Length == 0) return false;
        var length = word.Length;
        var text = length is >= MinLength and <= MaxLength ? word.ToString() : null;
        word.Clear();
        if (text is null || !seen.Add(text)) return false;
        words.Add(text);
        return true;
    }
}

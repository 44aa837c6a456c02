using System.Buffers;

using PdfSharp.Drawing;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// Breaks text into lines that fit a width: at spaces where it can, inside a word where it must (hashes, long
/// attacker-chosen names), so nothing is ever cut off at a cell's or the page's edge.
/// </summary>
internal static class PdfTextWrap
{
    private static readonly SearchValues<char> BreakAfter = SearchValues.Create("/_-:.,;@|");

    // No glyph of a text font is narrower than this share of its size, so a longer string cannot fit: it is split
    // without measuring it whole, which keeps a 100,000-character name from costing seconds per line.
    private const double NarrowestGlyphEm = 0.15;

    public static List<string> Lines(XGraphics gfx, string? text, XFont font, double width)
    {
        var maxChars = Math.Max(1, (int)(width / (font.Size * NarrowestGlyphEm)));
        var lines = new List<string>();
        var clean = Clean(text);
        foreach (var paragraph in clean.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (candidate.Length <= maxChars && Fits(gfx, candidate, font, width))
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                    lines.Add(line);
                var start = 0;
                while (word.Length - start > maxChars || !Fits(gfx, word[start..], font, width))
                {
                    var cut = LongestFittingPrefix(gfx, word, start, font, width, maxChars);
                    lines.Add(word.Substring(start, cut));
                    start += cut;
                }
                line = word[start..];
            }
            lines.Add(line);
        }
        return lines;
    }

    private static bool Fits(XGraphics gfx, string text, XFont font, double width) =>
        gfx.MeasureString(text, font).Width <= width;

    /// <summary>
    /// How many characters of <paramref name="text"/> from <paramref name="start"/> fit: at least one (or a surrogate
    /// pair), so a too-narrow width still makes progress.
    /// </summary>
    private static int LongestFittingPrefix(XGraphics gfx, string text, int start, XFont font, double width, int maxChars)
    {
        var remaining = text.Length - start;
        int low = 1, high = Math.Min(remaining - 1, maxChars);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Fits(gfx, text.Substring(start, middle), font, width))
                low = middle;
            else
                high = middle - 1;
        }
        if (low < remaining && char.IsLowSurrogate(text[start + low]))
            low = low > 1 ? low - 1 : low + 1;
        // Prefer to break after punctuation ("MODEL_ | APPROVED", "model/ | churn") when that keeps most of the line.
        var punctuation = text.AsSpan(start, low).LastIndexOfAny(BreakAfter);
        return punctuation >= low / 2 ? punctuation + 1 : low;
    }

    // Tabs, carriage returns and other control characters have no glyph: they become spaces or line breaks.
    private static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var chars = text.Replace("\r\n", "\n", StringComparison.Ordinal).ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] != '\n' && char.IsControl(chars[i]))
                chars[i] = chars[i] == '\r' ? '\n' : ' ';
        }
        return new string(chars);
    }
}

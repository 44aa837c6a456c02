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

    public static List<string> Lines(XGraphics gfx, string? text, XFont font, double width)
    {
        var lines = new List<string>();
        var clean = Clean(text);
        foreach (var paragraph in clean.Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Fits(gfx, candidate, font, width))
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                    lines.Add(line);
                line = word;
                while (!Fits(gfx, line, font, width))
                {
                    var cut = LongestFittingPrefix(gfx, line, font, width);
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    private static bool Fits(XGraphics gfx, string text, XFont font, double width) =>
        gfx.MeasureString(text, font).Width <= width;

    /// <summary>At least one character (or surrogate pair), so a too-narrow width still makes progress.</summary>
    private static int LongestFittingPrefix(XGraphics gfx, string text, XFont font, double width)
    {
        int low = 1, high = text.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (Fits(gfx, text[..middle], font, width))
                low = middle;
            else
                high = middle - 1;
        }
        if (low < text.Length && char.IsLowSurrogate(text[low]))
            low = low > 1 ? low - 1 : low + 1;
        // Prefer to break after punctuation ("MODEL_ | APPROVED", "model/ | churn") when that keeps most of the line.
        var punctuation = text.AsSpan(0, low).LastIndexOfAny(BreakAfter);
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

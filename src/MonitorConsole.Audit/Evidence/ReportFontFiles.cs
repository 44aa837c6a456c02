namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// The TrueType files the PDF report draws with, found on the machine: PDFsharp 6 brings no fonts of its own on
/// Linux or macOS. Sans regular is required; bold falls back to simulated bold and mono to the sans.
/// </summary>
internal sealed record ReportFontFiles(string SansRegular, string? SansBold, string? Mono)
{
    /// <summary>Where fonts live on Debian/Fedora/Alpine, Windows and macOS, and per user.</summary>
    public static IReadOnlyList<string> DefaultDirectories()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var windows = Environment.GetFolderPath(Environment.SpecialFolder.Fonts);
        var dirs = new List<string>
        {
            "/usr/share/fonts", "/usr/local/share/fonts", "/System/Library/Fonts/Supplemental", "/Library/Fonts",
            "/System/Library/Fonts", @"C:\Windows\Fonts",
        };
        if (windows.Length > 0)
            dirs.Add(windows);
        if (home.Length > 0)
        {
            dirs.Add(Path.Combine(home, ".fonts"));
            dirs.Add(Path.Combine(home, ".local", "share", "fonts"));
            dirs.Add(Path.Combine(home, "Library", "Fonts"));
        }
        return dirs.Distinct(StringComparer.Ordinal).ToList();
    }

    // Sans fonts in order of preference, each with its bold face; DejaVu covers the most scripts (Latin Extended,
    // Greek, Cyrillic), so actors like "Zoë Łukasz" keep their letters.
    private static readonly (string Regular, string Bold)[] SansCandidates =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        ("FreeSans.ttf", "FreeSansBold.ttf"),
        ("Arial.ttf", "Arial Bold.ttf"),
        ("arial.ttf", "arialbd.ttf"),
    ];

    private static readonly string[] MonoCandidates =
    [
        "DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "NotoSansMono-Regular.ttf", "FreeMono.ttf",
        "Courier New.ttf", "cour.ttf", "consola.ttf",
    ];

    /// <summary>Finds the fonts under <paramref name="directories"/>, or says where it looked and what to install.</summary>
    public static ReportFontFiles? Find(IReadOnlyList<string> directories, out string? whyNot)
    {
        var existing = directories.Where(Directory.Exists).ToList();
        foreach (var (regular, bold) in SansCandidates)
        {
            if (FindFile(existing, regular) is not { } regularPath)
                continue;
            var boldPath = FindFile([Path.GetDirectoryName(regularPath)!], bold) ?? FindFile(existing, bold);
            var mono = MonoCandidates.Select(name => FindFile(existing, name)).FirstOrDefault(path => path is not null);
            whyNot = null;
            return new ReportFontFiles(regularPath, boldPath, mono);
        }
        whyNot = $"no TrueType font found (looked in {string.Join(", ", directories)} for " +
            $"{string.Join(", ", SansCandidates.Select(c => c.Regular).Distinct(StringComparer.OrdinalIgnoreCase))}); " +
            "install fonts-dejavu-core";
        return null;
    }

    private static string? FindFile(IEnumerable<string> directories, string fileName)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            MatchCasing = MatchCasing.PlatformDefault,
            MaxRecursionDepth = 6,
        };
        foreach (var directory in directories)
        {
            var match = Directory.EnumerateFiles(directory, fileName, options).FirstOrDefault();
            if (match is not null)
                return match;
        }
        return null;
    }
}

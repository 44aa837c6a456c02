namespace MonitorConsole.Audit.Export;

/// <summary>
/// Keeps spreadsheets from running CSV cells as formulas: a cell starting with = + - @ tab CR or ' gets one leading
/// apostrophe. Because ' itself is escaped too, <see cref="Unescape"/> restores the exact stored text for verification.
/// </summary>
public static class SpreadsheetSafety
{
    public static string? Escape(string? value) =>
        value is { Length: > 0 } && NeedsEscape(value[0]) ? "'" + value : value;

    public static string? Unescape(string? value) =>
        value is { Length: > 1 } && value[0] == '\'' && NeedsEscape(value[1]) ? value[1..] : value;

    private static bool NeedsEscape(char first) => first is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'';
}

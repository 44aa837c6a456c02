using System.Buffers;

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

    /// <summary>The UTF-8 form of <see cref="Escape(string)"/>; the result is valid until the next call.</summary>
    public static ReadOnlySpan<byte> Escape(ReadOnlySpan<byte> value, ArrayBufferWriter<byte> scratch)
    {
        if (value.IsEmpty || !NeedsEscape((char)value[0])) return value;
        scratch.ResetWrittenCount();
        scratch.Write("'"u8);
        scratch.Write(value);
        return scratch.WrittenSpan;
    }

    private static bool NeedsEscape(char first) => first is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'';
}

namespace MonitorConsole.Drift;

/// <summary>Where complete CSV records end in a block, and how many data rows (non-blank records) they hold.</summary>
internal static class CsvRecords
{
    /// <summary>
    /// The length of the complete records at the start of <paramref name="data"/> (through the last record's line end,
    /// or everything at the end of the stream) and how many of them are not blank.
    /// </summary>
    public static (int Length, long Rows) Complete(ReadOnlySpan<byte> data, bool eof)
    {
        if (data.IndexOf((byte)'"') < 0) return Unquoted(data, eof);
        var position = 0;
        long rows = 0;
        while (position < data.Length)
        {
            var length = CsvFieldReader.RecordLength(data[position..], out _, out var complete);
            if (!complete)
            {
                if (!eof) break;
                // The last record, without a line end (or with an open quote, which its parser reports).
                if (!IsBlank(data[position..])) rows++;
                position = data.Length;
                break;
            }
            if (!IsBlank(data.Slice(position, length))) rows++;
            position += length + 1;
        }
        return (position, rows);
    }

    /// <summary>Without quotes a record ends at every LF: counted in one vectorised pass unless there are blank lines.</summary>
    private static (int Length, long Rows) Unquoted(ReadOnlySpan<byte> data, bool eof)
    {
        var last = data.LastIndexOf((byte)'\n');
        var length = eof ? data.Length : last + 1;
        var records = data[..length];
        var blankLines = records.IndexOf("\n\n"u8) >= 0 || records.IndexOf("\n\r\n"u8) >= 0
            || (records.Length > 0 && records[0] == (byte)'\n') || records.StartsWith("\r\n"u8);
        if (blankLines)
        {
            long rows = 0;
            foreach (var range in records.Split((byte)'\n'))
                if (!IsBlank(records[range])) rows++;
            return (length, rows);
        }
        long count = records.Count((byte)'\n');
        var final = records[(records.LastIndexOf((byte)'\n') + 1)..];
        if (!IsBlank(final)) count++;
        return (length, count);
    }

    public static bool IsBlank(ReadOnlySpan<byte> record) => record.IsEmpty || (record.Length == 1 && record[0] == (byte)'\r');
}

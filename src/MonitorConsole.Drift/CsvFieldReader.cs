using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text;

namespace MonitorConsole.Drift;

/// <summary>What a <see cref="CsvFieldReader"/> hands its fields to.</summary>
public interface ICsvFieldSink
{
    /// <summary>The header row's names, once, before any field.</summary>
    void Header(string[] names);

    /// <summary>One field of data row <paramref name="row"/> (1-based, the header not counted), unquoted, as UTF-8.</summary>
    void Field(long row, int column, ReadOnlySpan<byte> utf8);
}

/// <summary>
/// Parses RFC 4180 CSV records from UTF-8 bytes: comma-separated, records end in LF or CRLF, fields may be quoted with
/// "" for a quote inside. Each field goes to a sink as a span of the input, so no string is made per field; only a
/// quoted field with "" in it is copied. Blank lines are skipped. Errors name the row. One reader parses one run of
/// complete records (<see cref="CsvColumnsReader"/> cuts a stream into such runs and parses them in parallel).
/// </summary>
public sealed class CsvFieldReader
{
    private readonly string name;
    private byte[] _scratch = new byte[256];
    private string[] _header;
    private long _row; // data rows before the current one

    /// <summary>A reader for the header record.</summary>
    public CsvFieldReader(string name) : this(name, [], 0) { }

    /// <summary>A reader for data records that follow <paramref name="rowsBefore"/> data rows of a CSV with this header.</summary>
    public CsvFieldReader(string name, string[] header, long rowsBefore)
    {
        this.name = name;
        _header = header;
        _row = rowsBefore;
    }

    public string[] Header => _header;

    /// <summary>Parses complete records (the last one may lack its line end); the first is the header when none is known.</summary>
    public void Read(ReadOnlySpan<byte> records, ICsvFieldSink sink) => ReadRecords(records, eof: true, sink);

    /// <summary>Reads every complete record in <paramref name="data"/> and returns how many bytes were used.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int ReadRecords(ReadOnlySpan<byte> data, bool eof, ICsvFieldSink sink)
    {
        var used = 0;
        while (used < data.Length)
        {
            var rest = data[used..];
            var length = RecordLength(rest, out var quoted, out var complete);
            if (!complete)
            {
                if (!eof) break;
                if (quoted && length < 0) throw new DriftInputException(name, $"row {_row + 1} has a quoted field that never ends");
                length = rest.Length;
            }
            var record = rest[..length];
            used += complete ? length + 1 : length;
            if (record.Length > 0 && record[^1] == (byte)'\r') record = record[..^1];
            if (record.IsEmpty) continue;
            if (_header.Length == 0) ReadHeader(record, quoted, sink);
            else ReadRow(record, quoted, sink);
        }
        return used;
    }

    /// <summary>The length of the record at the start of data (to its LF, outside quotes); -1 when a quote is open.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int RecordLength(ReadOnlySpan<byte> data, out bool quoted, out bool complete)
    {
        quoted = false;
        var i = 0;
        while (true)
        {
            var k = data[i..].IndexOfAny((byte)'"', (byte)'\n');
            if (k < 0)
            {
                complete = false;
                return data.Length;
            }
            i += k;
            if (data[i] == (byte)'\n')
            {
                complete = true;
                return i;
            }
            quoted = true;
            var close = data[(i + 1)..].IndexOf((byte)'"');
            if (close < 0)
            {
                complete = false;
                return -1;
            }
            i += close + 2; // past the closing quote; a "" escape re-opens on the next round
            if (i >= data.Length)
            {
                complete = false;
                return data.Length;
            }
        }
    }

    private void ReadHeader(ReadOnlySpan<byte> record, bool quoted, ICsvFieldSink sink)
    {
        var names = new List<string>();
        ForEachField(record, quoted, (_, span) => names.Add(Encoding.UTF8.GetString(span).Trim()));
        var duplicate = names.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new DriftInputException(name, $"has the column '{duplicate.Key}' twice");
        _header = [.. names];
        sink.Header(_header);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadRow(ReadOnlySpan<byte> record, bool quoted, ICsvFieldSink sink)
    {
        var row = ++_row;
        var fields = quoted ? CountQuotedFields(record) : record.Count((byte)',') + 1;
        if (fields != _header.Length)
            throw new DriftInputException(name, $"row {row} has {fields} fields, the header has {_header.Length}");
        if (!quoted)
        {
            var column = 0;
            while (true)
            {
                var comma = record.IndexOf((byte)',');
                if (comma < 0)
                {
                    sink.Field(row, column, record);
                    return;
                }
                sink.Field(row, column++, record[..comma]);
                record = record[(comma + 1)..];
            }
        }
        ForEachField(record, true, (column, span) => sink.Field(row, column, span));
    }

    private int CountQuotedFields(ReadOnlySpan<byte> record)
    {
        var count = 0;
        ForEachField(record, true, (_, _) => count++);
        return count;
    }

    private delegate void FieldAction(int column, ReadOnlySpan<byte> value);

    private void ForEachField(ReadOnlySpan<byte> record, bool quoted, FieldAction action)
    {
        var column = 0;
        while (true)
        {
            if (quoted && !record.IsEmpty && record[0] == (byte)'"')
            {
                var value = Unquote(record, out var consumed);
                action(column++, value);
                record = record[consumed..];
                if (record.IsEmpty) return;
                if (record[0] != (byte)',')
                    throw new DriftInputException(name, $"row {Math.Max(_row, 1)} has text after a closing quote in field {column}");
                record = record[1..];
                continue;
            }
            var comma = record.IndexOf((byte)',');
            if (comma < 0)
            {
                action(column, record);
                return;
            }
            action(column++, record[..comma]);
            record = record[(comma + 1)..];
        }
    }

    /// <summary>The value of the quoted field at the start of record; consumed: the bytes it took with its quotes.</summary>
    private ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> record, out int consumed)
    {
        var i = 1;
        var length = 0;
        var escaped = false;
        while (true)
        {
            var k = record[i..].IndexOf((byte)'"');
            if (k < 0) throw new DriftInputException(name, $"row {Math.Max(_row, 1)} has a quoted field that never ends");
            if (i + k + 1 < record.Length && record[i + k + 1] == (byte)'"')
            {
                Append(record.Slice(i, k + 1), ref length);
                escaped = true;
                i += k + 2;
                continue;
            }
            if (!escaped)
            {
                consumed = k + 2;
                return record.Slice(1, k);
            }
            Append(record.Slice(i, k), ref length);
            consumed = i + k + 1;
            return _scratch.AsSpan(0, length);
        }
    }

    private void Append(ReadOnlySpan<byte> part, ref int length)
    {
        if (length + part.Length > _scratch.Length) Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, length + part.Length));
        part.CopyTo(_scratch.AsSpan(length));
        length += part.Length;
    }
}

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
/// A streaming RFC 4180 CSV reader over UTF-8 bytes: comma-separated, records end in LF or CRLF, fields may be quoted
/// with "" for a quote inside. It reads the stream asynchronously in large blocks and hands each field to a sink as a
/// span of the block, so no string is made per field; only a quoted field with "" in it is copied. Blank lines are
/// skipped. Errors name the row.
/// </summary>
public sealed class CsvFieldReader(string name, int blockSize = 1 << 20)
{
    private byte[] _buffer = [];
    private byte[] _scratch = new byte[256];
    private string[] _header = [];
    private long _row; // data rows read so far

    public long Rows => _row;

    public async Task ReadAsync(Stream stream, ICsvFieldSink sink, CancellationToken ct = default)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            int start = 0, end = 0;
            var eof = false;
            var first = true;
            while (true)
            {
                if (!eof)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(_buffer, start, _buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }
                    if (end == _buffer.Length) Grow(); // one record longer than the block
                    var read = await stream.ReadAsync(_buffer.AsMemory(end), ct);
                    if (read == 0) eof = true;
                    end += read;
                    if (first && end - start >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF) start = 3;
                    if (first && (end - start >= 3 || eof)) first = false;
                    else if (first) continue;
                }
                start = ReadRecords(_buffer.AsSpan(start, end - start), eof, sink) + start;
                if (eof) break;
            }
            if (_header.Length == 0) throw new DriftInputException(name, "has no header row");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Grow()
    {
        var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        Buffer.BlockCopy(_buffer, 0, bigger, 0, _buffer.Length);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    /// <summary>Reads every complete record in <paramref name="data"/> and returns how many bytes were used.</summary>
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
    private static int RecordLength(ReadOnlySpan<byte> data, out bool quoted, out bool complete)
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

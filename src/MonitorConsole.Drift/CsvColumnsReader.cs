using System.Buffers;
using System.Threading.Channels;

namespace MonitorConsole.Drift;

/// <summary>Makes the error for a value a column refused (<paramref name="row"/> is 1-based, the header not counted).</summary>
public delegate Exception CsvValueRefusal(long row, string column, ValueProblem problem, ReadOnlySpan<byte> value);

/// <summary>What a CSV must be for its reader: each header column's mode, and the limits.</summary>
public sealed record CsvColumnRules
{
    /// <summary>The mode of each column, given the header; may throw to refuse the header. Default: every column Auto.</summary>
    public Func<string[], ColumnMode[]> Modes { get; init; } = names => [.. names.Select(_ => ColumnMode.Auto)];

    /// <summary>The error for a value a numeric column refuses.</summary>
    public CsvValueRefusal Refused { get; init; } = (row, column, problem, _) =>
        new DriftInputException(column, $"row {row}: {(problem == ValueProblem.NotFinite ? "not a finite number" : "not a number")}");

    /// <summary>More data rows than this are refused with <see cref="TooManyRows"/>. Default: no limit.</summary>
    public long MaxRows { get; init; } = long.MaxValue;

    public Func<Exception> TooManyRows { get; init; } = () => new DriftInputException("rows", "too many rows");
}

/// <summary>
/// Reads a CSV stream into columns on every core: the stream is read asynchronously in blocks, each block is cut after
/// its last complete record (outside quotes) and its data rows are counted, so every block knows its first row number
/// before it is parsed; the blocks are then parsed in parallel into column parts and joined in order. Errors are the
/// same as a front-to-back reading would give: the first bad row of the file, by its number.
/// </summary>
public sealed class CsvColumnsReader(string name, int blockSize = 4 << 20)
{
    private static readonly int Workers = Math.Clamp(Environment.ProcessorCount, 1, 8);

    public async Task<ColumnBuilder[]> ReadAsync(Stream stream, CsvColumnRules rules, CancellationToken ct = default)
    {
        var parse = new CsvBlockParser(name, rules);
        var blocks = Channel.CreateBounded<Block>(new BoundedChannelOptions(Workers) { SingleWriter = true });
        var workers = new List<Task>();
        try
        {
            await SplitAsync(stream, rules, parse, blocks.Writer, () => workers.AddRange(Enumerable.Range(0, Workers)
                .Select(_ => Task.Run(() => parse.WorkAsync(blocks.Reader, ct), ct))), ct);
        }
        catch (Exception ex)
        {
            parse.Fail(int.MaxValue, ex);
        }
        finally
        {
            blocks.Writer.TryComplete();
            await Task.WhenAll(workers).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        return parse.Join();
    }

    /// <summary>Reads blocks, finds the header, hands on whole records with the number of rows before them.</summary>
    private async Task SplitAsync(Stream stream, CsvColumnRules rules, CsvBlockParser parse, ChannelWriter<Block> blocks,
        Action startWorkers, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        var filled = 0;
        var eof = false;
        var first = true;
        long rows = 0;
        var index = 0;
        try
        {
            while (!eof && !parse.Failed)
            {
                while (filled < buffer.Length && !eof)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
                    eof = read == 0;
                    filled += read;
                }
                if (first)
                {
                    first = false;
                    if (filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) filled = Shift(buffer, 3, filled);
                }
                var start = 0;
                if (parse.Header is null)
                {
                    start = parse.ReadHeader(buffer.AsSpan(0, filled), eof);
                    if (parse.Header is null && !eof)
                    {
                        // Blank lines so far, or a header longer than the block.
                        if (start == 0) buffer = Grow(buffer, filled);
                        else filled = Shift(buffer, start, filled);
                        continue;
                    }
                    if (parse.Header is null) break;
                    startWorkers();
                }
                var (length, count) = CsvRecords.Complete(buffer.AsSpan(start, filled - start), eof);
                if (count == 0)
                {
                    if (length == 0 && !eof && start == 0) buffer = Grow(buffer, filled); // one record longer than the block
                    else filled = Shift(buffer, start + length, filled);
                    continue;
                }
                if (rows + count > rules.MaxRows) throw rules.TooManyRows();
                await blocks.WriteAsync(new Block(index++, buffer, start, length, rows, count), ct);
                rows += count;
                var tail = filled - start - length;
                var next = ArrayPool<byte>.Shared.Rent(Math.Max(blockSize, tail * 2));
                buffer.AsSpan(start + length, tail).CopyTo(next);
                buffer = next;
                filled = tail;
            }
            if (parse.Header is null) throw new DriftInputException(name, "has no header row");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int filled)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, filled).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }

    private static int Shift(byte[] buffer, int from, int filled)
    {
        buffer.AsSpan(from, filled - from).CopyTo(buffer);
        return filled - from;
    }

    internal sealed record Block(int Index, byte[] Buffer, int Start, int Length, long RowsBefore, long Rows);
}

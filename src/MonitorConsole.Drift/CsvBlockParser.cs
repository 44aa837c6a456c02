using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace MonitorConsole.Drift;

/// <summary>
/// The parsing side of <see cref="CsvColumnsReader"/>: the header, then blocks of records parsed into column parts by
/// several workers, and the parts joined in file order. The error kept is the one of the earliest block, so it is the
/// file's first bad row whatever order the workers finished in.
/// </summary>
internal sealed class CsvBlockParser(string name, CsvColumnRules rules)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, ColumnBuilder[]> _parts = [];
    private (int Block, ExceptionDispatchInfo Error)? _failure;
    private ColumnMode[] _modes = [];

    public string[]? Header { get; private set; }

    public bool Failed
    {
        get
        {
            lock (_gate) return _failure is not null;
        }
    }

    /// <summary>
    /// Reads the header: the first non-blank record of <paramref name="data"/>. Returns the bytes used (through the
    /// header's line end, or the blank lines before it); <see cref="Header"/> stays null while the record is incomplete.
    /// </summary>
    public int ReadHeader(ReadOnlySpan<byte> data, bool eof)
    {
        var used = 0;
        while (used < data.Length)
        {
            var length = CsvFieldReader.RecordLength(data[used..], out _, out var complete);
            if (!complete && !eof) return used;
            if (!complete) length = data.Length - used;
            var record = data.Slice(used, length);
            used = Math.Min(data.Length, used + length + 1);
            if (CsvRecords.IsBlank(record)) continue;
            var reader = new CsvFieldReader(name);
            reader.Read(record, new NoRows());
            _modes = rules.Modes(reader.Header);
            Header = reader.Header;
            return used;
        }
        return used;
    }

    public async Task WorkAsync(ChannelReader<CsvColumnsReader.Block> blocks, CancellationToken ct)
    {
        await foreach (var block in blocks.ReadAllAsync(ct))
        {
            try
            {
                if (ShouldParse(block.Index)) Parse(block);
            }
            catch (Exception ex)
            {
                Fail(block.Index, ex);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(block.Buffer);
            }
        }
    }

    public void Fail(int block, Exception error)
    {
        lock (_gate)
            if (_failure is not { } f || block < f.Block) _failure = (block, ExceptionDispatchInfo.Capture(error));
    }

    /// <summary>The columns of the whole file, or the first error.</summary>
    public ColumnBuilder[] Join()
    {
        _failure?.Error.Throw();
        var header = Header ?? throw new DriftInputException(name, "has no header row");
        if (_parts.Count == 1) return _parts.Values.First();
        var rows = _parts.Values.Sum(p => (long)p[0].Count);
        if (rows > Array.MaxLength) throw new DriftInputException(name, $"has {rows:N0} rows, more than one column can hold");
        var columns = new ColumnBuilder[header.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = new ColumnBuilder(header[c], _modes[c], (int)rows);
            // Each part is let go once joined, so the file is held about once, not twice, while joining.
            foreach (var part in _parts.Values)
            {
                columns[c].Append(part[c]);
                part[c] = null!;
            }
        }
        return columns;
    }

    private bool ShouldParse(int block)
    {
        lock (_gate) return _failure is not { } f || block < f.Block;
    }

    private void Parse(CsvColumnsReader.Block block)
    {
        var header = Header!;
        var columns = new ColumnBuilder[header.Length];
        for (var c = 0; c < columns.Length; c++) columns[c] = new ColumnBuilder(header[c], _modes[c], (int)block.Rows);
        new CsvFieldReader(name, header, block.RowsBefore)
            .Read(block.Buffer.AsSpan(block.Start, block.Length), new Sink(columns, rules.Refused));
        lock (_gate) _parts[block.Index] = columns;
    }

    private sealed class Sink(ColumnBuilder[] columns, CsvValueRefusal refused) : ICsvFieldSink
    {
        public void Header(string[] names) { }

        public void Field(long row, int column, ReadOnlySpan<byte> utf8)
        {
            var problem = columns[column].Add(utf8);
            if (problem != ValueProblem.None) throw refused(row, columns[column].Name, problem, utf8);
        }
    }

    private sealed class NoRows : ICsvFieldSink
    {
        public void Header(string[] names) { }

        public void Field(long row, int column, ReadOnlySpan<byte> utf8) { }
    }
}

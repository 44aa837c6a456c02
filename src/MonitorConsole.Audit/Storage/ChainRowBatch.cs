using System.Buffers;
using System.Text;

namespace MonitorConsole.Audit.Storage;

/// <summary>Column positions of a chain row, in the order of <see cref="Storage.AuditSchema.Columns"/>.</summary>
public static class Col
{
    public const int EntryId = 1, Timestamp = 2, Action = 3, Actor = 4, ResourceType = 5, ResourceId = 6, Data = 7,
        Details = 8, DataHash = 9, PreviousHash = 10, EntryHash = 11;

    public const int Count = 12;
}

/// <summary>
/// A block of chain rows held as UTF-8 bytes in one pooled arena: rows are read from the database without decoding
/// them into strings, and hashed and exported straight from these bytes.
/// </summary>
public sealed class ChainRowBatch : IDisposable
{
    private const int NullLength = -1;
    private byte[] _arena;
    private int _used;
    private readonly long?[] _sequences;
    private readonly int[] _starts;
    private readonly int[] _lengths;

    public ChainRowBatch(int capacity = 4096)
    {
        Capacity = capacity;
        _arena = ArrayPool<byte>.Shared.Rent(capacity * 512);
        _sequences = new long?[capacity];
        _starts = new int[capacity * Col.Count];
        _lengths = new int[capacity * Col.Count];
    }

    public int Capacity { get; }
    public int Count { get; private set; }
    public bool IsFull => Count == Capacity;

    public int AddRow(long? sequence)
    {
        _sequences[Count] = sequence;
        return Count++;
    }

    /// <summary>Adds a row given as strings (from an export or a generic ADO.NET reader).</summary>
    public void Add(RawEntry entry)
    {
        var row = AddRow(entry.Sequence);
        Set(row, Col.EntryId, entry.EntryId);
        Set(row, Col.Timestamp, entry.Timestamp);
        Set(row, Col.Action, entry.Action);
        Set(row, Col.Actor, entry.Actor);
        Set(row, Col.ResourceType, entry.ResourceType);
        Set(row, Col.ResourceId, entry.ResourceId);
        Set(row, Col.Data, entry.Data);
        Set(row, Col.Details, entry.Details);
        Set(row, Col.DataHash, entry.DataHash);
        Set(row, Col.PreviousHash, entry.PreviousHash);
        Set(row, Col.EntryHash, entry.EntryHash);
    }

    public void Set(int row, int column, ReadOnlySpan<byte> value)
    {
        if (_used + value.Length > _arena.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_arena.Length * 2, _used + value.Length));
            _arena.AsSpan(0, _used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_arena);
            _arena = bigger;
        }
        value.CopyTo(_arena.AsSpan(_used));
        _starts[row * Col.Count + column] = _used;
        _lengths[row * Col.Count + column] = value.Length;
        _used += value.Length;
    }

    public void Set(int row, int column, string? value)
    {
        if (value is null) SetNull(row, column);
        else Set(row, column, Encoding.UTF8.GetBytes(value));
    }

    public void SetNull(int row, int column) => _lengths[row * Col.Count + column] = NullLength;

    public long? Sequence(int row) => _sequences[row];

    public bool IsNull(int row, int column) => _lengths[row * Col.Count + column] == NullLength;

    public ReadOnlySpan<byte> Get(int row, int column)
    {
        var length = _lengths[row * Col.Count + column];
        return length == NullLength ? default : _arena.AsSpan(_starts[row * Col.Count + column], length);
    }

    public string? GetString(int row, int column) => IsNull(row, column) ? null : Encoding.UTF8.GetString(Get(row, column));

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_arena);
        _arena = [];
    }
}

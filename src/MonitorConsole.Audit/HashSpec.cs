using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MonitorConsole.Audit;

/// <summary>
/// Hash spec v1, as published in docs/hash-chain.md. Changing anything here breaks every existing chain. The work is
/// done on UTF-8 bytes, so verification and export can hash rows straight from the database without decoding them.
/// </summary>
public static class HashSpec
{
    public const string Version = "monitorconsole.audit.v1";
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.ffffffZ";
    public const int HashHexLength = 64;
    public static readonly string GenesisHash = new('0', HashHexLength);

    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [ThreadStatic] private static byte[]? t_canonical;
    [ThreadStatic] private static IncrementalHash? t_sha256;

    // One reusable hash object per thread: a one-shot SHA256.HashData call sets up a new digest context every time,
    // which costs about as much as hashing a short entry.
    private static void Sha256(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(data);
        sha.GetHashAndReset(hash);
    }

    /// <summary>Truncates to whole microseconds, the precision every supported database round-trips.</summary>
    public static DateTime TruncateToMicroseconds(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    public static string FormatTimestamp(DateTime utc) =>
        utc.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTimestamp(string text, out DateTime utc) =>
        DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);

    public static string ComputeDataHash(string data) => ComputeDataHash(StrictUtf8.GetBytes(data));

    public static string ComputeDataHash(ReadOnlySpan<byte> utf8Data)
    {
        Span<byte> hex = stackalloc byte[HashHexLength];
        DataHash(utf8Data, hex);
        return Encoding.ASCII.GetString(hex);
    }

    /// <summary>Writes the lowercase hex SHA-256 of the data bytes into <paramref name="hex"/> (64 bytes).</summary>
    public static void DataHash(ReadOnlySpan<byte> utf8Data, Span<byte> hex)
    {
        Span<byte> hash = stackalloc byte[32];
        Sha256(utf8Data, hash);
        Convert.TryToHexStringLower(hash, hex, out _);
    }

    public static string ComputeEntryHash(
        long sequence, string entryId, string timestamp, string action, string actor, string resourceType,
        string? resourceId, string dataHash, string? details, string previousHash)
    {
        Span<byte> hex = stackalloc byte[HashHexLength];
        EntryHash(new EntryFields(sequence, U(entryId), U(timestamp), U(action), U(actor), U(resourceType), U(resourceId),
            U(dataHash), U(details), U(previousHash)), hex);
        return Encoding.ASCII.GetString(hex);
    }

    public static string ComputeEntryHash(AuditEntry e) =>
        ComputeEntryHash(e.Sequence, e.EntryId, FormatTimestamp(e.Timestamp), e.Action, e.Actor, e.ResourceType,
            e.ResourceId, e.DataHash, e.Details, e.PreviousHash);

    /// <summary>The exact text that is hashed into entry_hash; public so docs and tests can show it.</summary>
    public static string CanonicalJson(
        long sequence, string entryId, string timestamp, string action, string actor, string resourceType,
        string? resourceId, string dataHash, string? details, string previousHash)
    {
        var fields = new EntryFields(sequence, U(entryId), U(timestamp), U(action), U(actor), U(resourceType),
            U(resourceId), U(dataHash), U(details), U(previousHash));
        var length = WriteCanonical(fields);
        return Encoding.UTF8.GetString(t_canonical!, 0, length);
    }

    /// <summary>Writes the lowercase hex entry_hash of the fields into <paramref name="hex"/> (64 bytes).</summary>
    public static void EntryHash(in EntryFields fields, Span<byte> hex)
    {
        var length = WriteCanonical(fields);
        Span<byte> hash = stackalloc byte[32];
        Sha256(t_canonical.AsSpan(0, length), hash);
        Convert.TryToHexStringLower(hash, hex, out _);
    }

    private static byte[]? U(string? value) => value is null ? null : StrictUtf8.GetBytes(value);

    private static int WriteCanonical(in EntryFields f)
    {
        // Worst case every byte escapes to 6 ("\u00xx"); a fixed overhead covers keys and punctuation.
        var max = 256 + 6 * (f.EntryId.Length + f.Timestamp.Length + f.Action.Length + f.Actor.Length
                             + f.ResourceType.Length + f.ResourceId.Length + f.DataHash.Length + f.Details.Length
                             + f.PreviousHash.Length);
        if (t_canonical is null || t_canonical.Length < max) t_canonical = new byte[Math.Max(max, 4096)];
        var w = new SpanWriter(t_canonical);
        // Keys in sorted order: action, actor, data_hash, details, entry_id, previous_hash, resource_id,
        // resource_type, sequence, timestamp.
        w.Raw("{\"action\":"u8); w.Str(f.Action);
        w.Raw(",\"actor\":"u8); w.Str(f.Actor);
        w.Raw(",\"data_hash\":"u8); w.Str(f.DataHash);
        w.Raw(",\"details\":"u8); w.StrOrNull(f.Details, f.DetailsIsNull);
        w.Raw(",\"entry_id\":"u8); w.Str(f.EntryId);
        w.Raw(",\"previous_hash\":"u8); w.Str(f.PreviousHash);
        w.Raw(",\"resource_id\":"u8); w.StrOrNull(f.ResourceId, f.ResourceIdIsNull);
        w.Raw(",\"resource_type\":"u8); w.Str(f.ResourceType);
        w.Raw(",\"sequence\":"u8); w.Integer(f.Sequence);
        w.Raw(",\"timestamp\":"u8); w.Str(f.Timestamp);
        w.Raw("}"u8);
        return w.Position;
    }

    public static bool IsHashHex(string? value) => value is not null && IsHashHex(Encoding.ASCII.GetBytes(value));

    public static bool IsHashHex(ReadOnlySpan<byte> value)
    {
        if (value.Length != HashHexLength) return false;
        foreach (var c in value)
            if (c is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f'))) return false;
        return true;
    }

    private static readonly SearchValues<byte> MustEscape =
        SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private ref struct SpanWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        public int Position;

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[Position..]);
            Position += bytes.Length;
        }

        public void Integer(long value)
        {
            value.TryFormat(_buffer[Position..], out var written, default, CultureInfo.InvariantCulture);
            Position += written;
        }

        public void StrOrNull(ReadOnlySpan<byte> value, bool isNull)
        {
            if (isNull) Raw("null"u8);
            else Str(value);
        }

        // RFC 8785 string escaping on UTF-8: bytes of multi-byte characters are all >= 0x80, so escaping byte by
        // byte escapes exactly the characters the spec names and copies everything else raw.
        public void Str(ReadOnlySpan<byte> value)
        {
            _buffer[Position++] = (byte)'"';
            int next;
            while ((next = value.IndexOfAny(MustEscape)) >= 0)
            {
                Raw(value[..next]);
                Escape(value[next]);
                value = value[(next + 1)..];
            }
            Raw(value);
            _buffer[Position++] = (byte)'"';
        }

        private void Escape(byte c)
        {
            switch (c)
            {
                case (byte)'"': Raw("\\\""u8); break;
                case (byte)'\\': Raw("\\\\"u8); break;
                case (byte)'\b': Raw("\\b"u8); break;
                case (byte)'\f': Raw("\\f"u8); break;
                case (byte)'\n': Raw("\\n"u8); break;
                case (byte)'\r': Raw("\\r"u8); break;
                case (byte)'\t': Raw("\\t"u8); break;
                default:
                    Raw("\\u00"u8);
                    _buffer[Position++] = (byte)"0123456789abcdef"[c >> 4];
                    _buffer[Position++] = (byte)"0123456789abcdef"[c & 0xF];
                    break;
            }
        }
    }
}

/// <summary>The hashed fields as UTF-8 bytes. Null resource_id/details are flagged, not empty.</summary>
public readonly ref struct EntryFields
{
    public EntryFields(long sequence, ReadOnlySpan<byte> entryId, ReadOnlySpan<byte> timestamp, ReadOnlySpan<byte> action,
        ReadOnlySpan<byte> actor, ReadOnlySpan<byte> resourceType, ReadOnlySpan<byte> resourceId, bool resourceIdIsNull,
        ReadOnlySpan<byte> dataHash, ReadOnlySpan<byte> details, bool detailsIsNull, ReadOnlySpan<byte> previousHash)
    {
        Sequence = sequence; EntryId = entryId; Timestamp = timestamp; Action = action; Actor = actor;
        ResourceType = resourceType; ResourceId = resourceId; ResourceIdIsNull = resourceIdIsNull; DataHash = dataHash;
        Details = details; DetailsIsNull = detailsIsNull; PreviousHash = previousHash;
    }

    public EntryFields(long sequence, byte[]? entryId, byte[]? timestamp, byte[]? action, byte[]? actor,
        byte[]? resourceType, byte[]? resourceId, byte[]? dataHash, byte[]? details, byte[]? previousHash)
        : this(sequence, entryId, timestamp, action, actor, resourceType, resourceId, resourceId is null, dataHash,
            details, details is null, previousHash)
    {
    }

    public long Sequence { get; }
    public ReadOnlySpan<byte> EntryId { get; }
    public ReadOnlySpan<byte> Timestamp { get; }
    public ReadOnlySpan<byte> Action { get; }
    public ReadOnlySpan<byte> Actor { get; }
    public ReadOnlySpan<byte> ResourceType { get; }
    public ReadOnlySpan<byte> ResourceId { get; }
    public bool ResourceIdIsNull { get; }
    public ReadOnlySpan<byte> DataHash { get; }
    public ReadOnlySpan<byte> Details { get; }
    public bool DetailsIsNull { get; }
    public ReadOnlySpan<byte> PreviousHash { get; }
}

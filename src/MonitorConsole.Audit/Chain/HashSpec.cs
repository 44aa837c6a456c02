using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MonitorConsole.Audit.Chain;

/// <summary>Hash spec v1, as published in docs/hash-chain.md. Changing anything here breaks every existing chain.</summary>
public static class HashSpec
{
    public const string Version = "monitorconsole.audit.v1";
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.ffffffZ";
    public static readonly string GenesisHash = new('0', 64);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Truncates to whole microseconds, the precision every supported database round-trips.</summary>
    public static DateTime TruncateToMicroseconds(DateTime utc) =>
        new(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);

    public static string FormatTimestamp(DateTime utc) =>
        utc.ToUniversalTime().ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTimestamp(string text, out DateTime utc) =>
        DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);

    public static string ComputeDataHash(string data) => Sha256Hex(data);

    /// <summary>SHA-256 of the canonical JSON object over the ten hashed fields (keys sorted, RFC 8785 string escaping).</summary>
    public static string ComputeEntryHash(
        long sequence, string entryId, string timestamp, string action, string actor, string resourceType,
        string? resourceId, string dataHash, string? details, string previousHash)
    {
        var writer = new ArrayBufferWriter<byte>(512 + (details?.Length ?? 0) * 2);
        WriteCanonical(writer, sequence, entryId, timestamp, action, actor, resourceType, resourceId, dataHash, details,
            previousHash);
        return HexOfSha256(writer.WrittenSpan);
    }

    public static string ComputeEntryHash(AuditEntry e) =>
        ComputeEntryHash(e.Sequence, e.EntryId, FormatTimestamp(e.Timestamp), e.Action, e.Actor, e.ResourceType,
            e.ResourceId, e.DataHash, e.Details, e.PreviousHash);

    /// <summary>The exact bytes that are hashed into entry_hash; public so docs and tests can show them.</summary>
    public static string CanonicalJson(
        long sequence, string entryId, string timestamp, string action, string actor, string resourceType,
        string? resourceId, string dataHash, string? details, string previousHash)
    {
        var writer = new ArrayBufferWriter<byte>(512);
        WriteCanonical(writer, sequence, entryId, timestamp, action, actor, resourceType, resourceId, dataHash, details,
            previousHash);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    private static void WriteCanonical(
        ArrayBufferWriter<byte> w, long sequence, string entryId, string timestamp, string action, string actor,
        string resourceType, string? resourceId, string dataHash, string? details, string previousHash)
    {
        // Keys in sorted order: action, actor, data_hash, details, entry_id, previous_hash, resource_id, resource_type,
        // sequence, timestamp.
        Raw(w, "{\"action\":"); Str(w, action);
        Raw(w, ",\"actor\":"); Str(w, actor);
        Raw(w, ",\"data_hash\":"); Str(w, dataHash);
        Raw(w, ",\"details\":"); StrOrNull(w, details);
        Raw(w, ",\"entry_id\":"); Str(w, entryId);
        Raw(w, ",\"previous_hash\":"); Str(w, previousHash);
        Raw(w, ",\"resource_id\":"); StrOrNull(w, resourceId);
        Raw(w, ",\"resource_type\":"); Str(w, resourceType);
        Raw(w, ",\"sequence\":");
        var span = w.GetSpan(20);
        sequence.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        w.Advance(written);
        Raw(w, ",\"timestamp\":"); Str(w, timestamp);
        Raw(w, "}");
    }

    private static void Raw(ArrayBufferWriter<byte> w, string ascii)
    {
        var span = w.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++) span[i] = (byte)ascii[i];
        w.Advance(ascii.Length);
    }

    private static void StrOrNull(ArrayBufferWriter<byte> w, string? value)
    {
        if (value is null) Raw(w, "null");
        else Str(w, value);
    }

    private static void Str(ArrayBufferWriter<byte> w, string value)
    {
        Raw(w, "\"");
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            Utf8(w, value.AsSpan(start, i - start));
            Raw(w, Escape(c));
            start = i + 1;
        }
        Utf8(w, value.AsSpan(start));
        Raw(w, "\"");
    }

    private static string Escape(char c) => c switch
    {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\b' => "\\b",
        '\f' => "\\f",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => "\\u00" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
    };

    private static void Utf8(ArrayBufferWriter<byte> w, ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) return;
        var span = w.GetSpan(StrictUtf8.GetMaxByteCount(chars.Length));
        var n = StrictUtf8.GetBytes(chars, span);
        w.Advance(n);
    }

    private static string Sha256Hex(string text)
    {
        var max = StrictUtf8.GetMaxByteCount(text.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = StrictUtf8.GetBytes(text, rented);
            return HexOfSha256(rented.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string HexOfSha256(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static bool IsHashHex(string? value)
    {
        if (value is null || value.Length != 64) return false;
        foreach (var c in value)
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f')) return false;
        return true;
    }
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MonitorConsole.Audit.Chain;

/// <summary>
/// The data of an ERASURE entry: <c>{"erased_sequence":N,"erased_entry_hash":"…","reason":"…"}</c>, in that order and
/// compact. The database's update guard recognises an erasure by that exact opening (up to the reason), so the order
/// is part of the contract (docs/hash-chain.md); verification reads the two fields as JSON.
/// </summary>
public static class ErasureRecord
{
    /// <summary>What an erased entry's data column holds: the empty text, which no append can store (data is JSON).</summary>
    public const string ErasedData = "";

    private static readonly JsonWriterOptions Compact = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Format(long erasedSequence, string erasedEntryHash, string reason)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            json.WriteNumber("erased_sequence", erasedSequence);
            json.WriteString("erased_entry_hash", erasedEntryHash);
            json.WriteString("reason", reason);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The opening every ERASURE entry's data has for the entry it names (what the update guard matches).</summary>
    public static string Opening(long erasedSequence, string erasedEntryHash) =>
        $"{{\"erased_sequence\":{erasedSequence.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"erased_entry_hash\":\"{erasedEntryHash}\",";

    /// <summary>Reads the entry an ERASURE entry's data names; false when it names none (not an object, fields missing).</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out long erasedSequence, out string erasedEntryHash)
    {
        erasedSequence = 0;
        erasedEntryHash = "";
        long? sequence = null;
        string? hash = null;
        try
        {
            var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("erased_sequence"u8) ? 1 : reader.ValueTextEquals("erased_entry_hash"u8) ? 2 : 0;
                if (!reader.Read()) return false;
                // A name given twice would let two readers see two different erasures.
                if (name == 1 && sequence is null && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s)) sequence = s;
                else if (name == 2 && hash is null && reader.TokenType == JsonTokenType.String) hash = reader.GetString();
                else if (name != 0) return false;
                else reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (sequence is not > 0 || !HashSpec.IsHashHex(hash)) return false;
        erasedSequence = sequence.Value;
        erasedEntryHash = hash!;
        return true;
    }
}

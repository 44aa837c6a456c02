using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>
/// A signed statement of the chain head: its size (the sequence of the newest entry), that entry's hash, the Merkle
/// root over all entries, and when. The signature covers <see cref="SignedText"/>. <see cref="TimestampToken"/> is
/// not signed: it is an RFC 3161 token (base64 DER) from a time-stamping authority over SHA-256 of that same text,
/// proving the statement existed at the token's genTime (checked by <see cref="AnchorVerifier"/>).
/// </summary>
public sealed record Checkpoint(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("tree_size")] long TreeSize,
    [property: JsonPropertyName("entry_hash")] string EntryHash,
    [property: JsonPropertyName("merkle_root")] string MerkleRoot,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("public_key")] string PublicKey,
    [property: JsonPropertyName("signature")] string Signature,
    [property: JsonPropertyName("timestamp_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TimestampToken = null)
{
    public const string FormatV1 = "monitorconsole.checkpoint.v1";
    public const string EcdsaP256Sha256 = "ECDSA-P256-SHA256";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // A name given twice would let two readers of one file see two checkpoints.
    private static readonly JsonSerializerOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>The exact bytes signed: the format, size, head hash, root, time and key id, one per line, UTF-8.</summary>
    public static byte[] SignedText(long treeSize, string entryHash, string merkleRoot, string timestamp, string keyId) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{FormatV1}\n{treeSize}\n{entryHash}\n{merkleRoot}\n{timestamp}\n{keyId}\n"));

    public byte[] SignedText() => SignedText(TreeSize, EntryHash, MerkleRoot, Timestamp, KeyId);

    public string ToJson() => JsonSerializer.Serialize(this, Indented);

    /// <summary>The token's DER bytes, or null when the checkpoint is not anchored.</summary>
    public byte[]? TimestampTokenBytes() => TimestampToken is { Length: > 0 } t ? Convert.FromBase64String(t) : null;

    /// <summary>Reads a checkpoint file; bad input names the field.</summary>
    public static Checkpoint Parse(string json)
    {
        Checkpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<Checkpoint>(json, Strict);
        }
        catch (JsonException ex)
        {
            throw new AuditValidationException("checkpoint", $"is not a checkpoint file: {ex.Message}");
        }
        if (checkpoint is null || checkpoint.Format != FormatV1)
            throw new AuditValidationException("format", $"must be {FormatV1}");
        foreach (var (field, value) in new[] { ("entry_hash", checkpoint.EntryHash), ("merkle_root", checkpoint.MerkleRoot) })
            if (value is null || !HashSpec.IsHashHex(value)) throw new AuditValidationException(field, "must be 64 lower-case hex digits");
        if (checkpoint.TreeSize < 0) throw new AuditValidationException("tree_size", "must not be negative");
        if (string.IsNullOrEmpty(checkpoint.Signature) || string.IsNullOrEmpty(checkpoint.PublicKey) || string.IsNullOrEmpty(checkpoint.KeyId))
            throw new AuditValidationException("signature", "the signature, public_key and key_id are required");
        if (checkpoint.TimestampToken is { } token && !Convert.TryFromBase64String(token, new byte[token.Length], out _))
            throw new AuditValidationException("timestamp_token", "must be base64 (the DER bytes of an RFC 3161 token)");
        return checkpoint;
    }
}

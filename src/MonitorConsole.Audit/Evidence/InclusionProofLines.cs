using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MonitorConsole.Audit.Merkle;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// inclusion-proofs.jsonl: one proof per line, in sequence order, each against the pack's checkpoint —
/// <c>{"sequence":N,"leaf_index":N-1,"tree_size":T,"leaf_hash":"…","audit_path":["…",…]}</c>. One object per line
/// streams at any size and suits line tools (grep, jq -c).
/// </summary>
public static class InclusionProofLines
{
    // Strict: a line with more in it than a proof could say one thing to this reader and another to the shell steps.
    private static readonly JsonSerializerOptions Options = new()
    {
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static string Format(InclusionProof proof) => JsonSerializer.Serialize(
        new ProofLine(proof.Sequence, proof.LeafIndex, proof.TreeSize, proof.LeafHash, [.. proof.AuditPath]), Options);

    /// <summary>Reads the lines as they come; a line that is not a proof is refused with its number.</summary>
    public static async IAsyncEnumerable<ProofLine> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        var number = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            ProofLine? proof;
            try
            {
                proof = JsonSerializer.Deserialize<ProofLine>(line, Options);
            }
            catch (JsonException ex)
            {
                throw new AuditValidationException(EvidencePackFiles.Proofs, $"line {number} is not a proof: {ex.Message}");
            }
            if (proof?.AuditPath is null || proof.LeafHash is null)
                throw new AuditValidationException(EvidencePackFiles.Proofs, $"line {number} lacks leaf_hash or audit_path");
            yield return proof;
        }
    }
}

public sealed record ProofLine(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("leaf_index")] long LeafIndex,
    [property: JsonPropertyName("tree_size")] long TreeSize,
    [property: JsonPropertyName("leaf_hash")] string LeafHash,
    [property: JsonPropertyName("audit_path")] string[] AuditPath);

using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;

namespace MonitorConsole.Audit.Merkle;

/// <summary>The outcome of checking a proof file offline, with one line per check.</summary>
public sealed record ProofCheck(bool Valid, bool KeyTrusted, IReadOnlyList<string> Lines);

/// <summary>
/// Proof files an outside auditor can check with nothing but the file (and, to trust the signer, the public key):
/// an inclusion proof carries the entry, its audit path and the signed checkpoint whose root it reaches; a
/// consistency proof carries two signed checkpoints and the hashes that show the later one extends the earlier.
/// </summary>
public static class ProofFiles
{
    public const string InclusionFormat = "monitorconsole.inclusion-proof.v1";
    public const string ConsistencyFormat = "monitorconsole.consistency-proof.v1";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Inclusion(AuditEntry entry, InclusionProof proof, Checkpoint checkpoint) => new JsonObject
    {
        ["format"] = InclusionFormat,
        ["entry"] = new JsonObject
        {
            ["sequence"] = entry.Sequence,
            ["entry_id"] = entry.EntryId,
            ["timestamp"] = HashSpec.FormatTimestamp(entry.Timestamp),
            ["action"] = entry.Action,
            ["actor"] = entry.Actor,
            ["resource_type"] = entry.ResourceType,
            ["resource_id"] = entry.ResourceId,
            ["data"] = entry.Data,
            ["details"] = entry.Details,
            ["data_hash"] = entry.DataHash,
            ["previous_hash"] = entry.PreviousHash,
            ["entry_hash"] = entry.EntryHash,
        },
        ["leaf_index"] = proof.LeafIndex,
        ["tree_size"] = proof.TreeSize,
        ["leaf_hash"] = proof.LeafHash,
        ["audit_path"] = new JsonArray([.. proof.AuditPath.Select(h => (JsonNode)h)]),
        ["checkpoint"] = JsonNode.Parse(checkpoint.ToJson()),
    }.ToJsonString(Indented);

    public static string Consistency(ConsistencyProof proof, Checkpoint older, Checkpoint newer) => new JsonObject
    {
        ["format"] = ConsistencyFormat,
        ["old_size"] = proof.OldSize,
        ["new_size"] = proof.NewSize,
        ["proof"] = new JsonArray([.. proof.Proof.Select(h => (JsonNode)h)]),
        ["old_checkpoint"] = JsonNode.Parse(older.ToJson()),
        ["new_checkpoint"] = JsonNode.Parse(newer.ToJson()),
    }.ToJsonString(Indented);

    /// <summary>Checks either kind of proof file. <paramref name="trustedKey"/> pins the signer; without it the file's own key is used and reported as untrusted.</summary>
    public static ProofCheck Verify(string json, ECDsa? trustedKey = null)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(json) ?? throw new AuditValidationException("proof", "is empty");
        }
        catch (JsonException ex)
        {
            throw new AuditValidationException("proof", $"is not JSON: {ex.Message}");
        }
        return (string?)root["format"] switch
        {
            InclusionFormat => VerifyInclusion(root, trustedKey),
            ConsistencyFormat => VerifyConsistency(root, trustedKey),
            _ => throw new AuditValidationException("format", $"must be {InclusionFormat} or {ConsistencyFormat}"),
        };
    }

    private static ProofCheck VerifyInclusion(JsonNode root, ECDsa? trustedKey)
    {
        var lines = new List<string>();
        var checkpoint = Checkpoint.Parse(Required(root, "checkpoint").ToJsonString());
        var (signed, trusted) = CheckpointService.VerifySignature(checkpoint, trustedKey);
        lines.Add(signed ? $"checkpoint signature valid (key {checkpoint.KeyId}{(trusted ? ", trusted" : ", the file's own key — compare it with the published key id")})"
                         : "checkpoint signature INVALID");

        var e = Required(root, "entry");
        var entry = new AuditEntry
        {
            Sequence = Number(e, "sequence"),
            EntryId = Text(e, "entry_id"),
            Timestamp = HashSpec.TryParseTimestamp(Text(e, "timestamp"), out var at) ? at : throw new AuditValidationException("entry.timestamp", "is not a hash-spec timestamp"),
            Action = Text(e, "action"),
            Actor = Text(e, "actor"),
            ResourceType = Text(e, "resource_type"),
            ResourceId = (string?)e["resource_id"],
            Data = Text(e, "data"),
            Details = (string?)e["details"],
            DataHash = Text(e, "data_hash"),
            PreviousHash = Text(e, "previous_hash"),
            EntryHash = Text(e, "entry_hash"),
        };
        var hashesHold = HashSpec.ComputeDataHash(entry.Data) == entry.DataHash && HashSpec.ComputeEntryHash(entry) == entry.EntryHash;
        lines.Add(hashesHold ? $"entry {entry.Sequence}: its data and entry hashes match its fields" : $"entry {entry.Sequence}: its hashes do NOT match its fields");

        var index = Number(root, "leaf_index");
        var size = Number(root, "tree_size");
        var path = Required(root, "audit_path").AsArray().Select(n => Hash((string?)n, "audit_path")).ToList();
        var computed = MerkleTree.RootFromInclusion(index, size, MerkleTree.LeafHash(entry.EntryHash), path);
        var reaches = computed is not null && Convert.ToHexStringLower(computed) == checkpoint.MerkleRoot && size == checkpoint.TreeSize && index == entry.Sequence - 1;
        lines.Add(reaches ? $"the audit path leads from the entry to the checkpoint's Merkle root ({size} entries, signed {checkpoint.Timestamp})"
                          : "the audit path does NOT lead to the checkpoint's Merkle root");
        return new ProofCheck(signed && hashesHold && reaches, trusted, lines);
    }

    private static ProofCheck VerifyConsistency(JsonNode root, ECDsa? trustedKey)
    {
        var lines = new List<string>();
        var older = Checkpoint.Parse(Required(root, "old_checkpoint").ToJsonString());
        var newer = Checkpoint.Parse(Required(root, "new_checkpoint").ToJsonString());
        var (oldSigned, oldTrusted) = CheckpointService.VerifySignature(older, trustedKey);
        var (newSigned, newTrusted) = CheckpointService.VerifySignature(newer, trustedKey);
        lines.Add($"older checkpoint ({older.TreeSize} entries, {older.Timestamp}): signature {(oldSigned ? "valid" : "INVALID")}");
        lines.Add($"newer checkpoint ({newer.TreeSize} entries, {newer.Timestamp}): signature {(newSigned ? "valid" : "INVALID")}");
        var proof = Required(root, "proof").AsArray().Select(n => Hash((string?)n, "proof")).ToList();
        var consistent = older.TreeSize >= 1 && MerkleTree.VerifyConsistency(older.TreeSize, newer.TreeSize,
            Convert.FromHexString(older.MerkleRoot), Convert.FromHexString(newer.MerkleRoot), proof);
        lines.Add(consistent ? "the newer tree extends the older one: nothing it held was changed or removed"
                             : "the newer tree does NOT extend the older one");
        return new ProofCheck(oldSigned && newSigned && consistent, oldTrusted && newTrusted, lines);
    }

    private static JsonNode Required(JsonNode node, string field) => node[field] ?? throw new AuditValidationException(field, "is required");

    private static string Text(JsonNode node, string field) =>
        node[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new AuditValidationException($"entry.{field}", "must be a string");

    private static long Number(JsonNode node, string field) =>
        node[field] is JsonValue v && v.TryGetValue<long>(out var n) ? n : throw new AuditValidationException(field, "must be a whole number");

    private static byte[] Hash(string? hex, string field) =>
        hex is not null && HashSpec.IsHashHex(hex) ? Convert.FromHexString(hex) : throw new AuditValidationException(field, "holds something that is not a 64-hex-digit hash");
}

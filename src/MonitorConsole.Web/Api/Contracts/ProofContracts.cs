using System.ComponentModel;
using MonitorConsole.Audit.Checkpoints;

namespace MonitorConsole.Web.Api.Contracts;

[Description("The newest signed checkpoint and whether the chain still matches it.")]
public sealed record LatestCheckpoint(Checkpoint Checkpoint, CheckpointCheck Check);

/// <summary>The file GET /api/audit/proofs/inclusion writes (ProofFiles.Inclusion builds it as a JSON tree).</summary>
[Description("An inclusion proof file: the entry, its Merkle audit path and the signed checkpoint it leads to. `monitorconsole verify-proof` checks it offline.")]
public sealed record InclusionProofFile(
    [property: Description("monitorconsole.inclusion-proof.v1")] string Format,
    ProofEntry Entry,
    [property: Description("The entry's leaf position, sequence - 1.")] long LeafIndex,
    [property: Description("Entries the checkpoint covers.")] long TreeSize,
    [property: Description("SHA-256 of 0x00 followed by the entry hash's bytes, hex.")] string LeafHash,
    [property: Description("Sibling hashes from the leaf up to the root, hex.")] IReadOnlyList<string> AuditPath,
    Checkpoint Checkpoint);

[Description("The entry as hashed.")]
public sealed record ProofEntry(
    long Sequence, string EntryId, string Timestamp, string Action, string Actor, string ResourceType, string? ResourceId,
    string Data, string? Details, string DataHash, string PreviousHash, string EntryHash);

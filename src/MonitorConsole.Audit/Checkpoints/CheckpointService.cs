using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>A checkpoint as stored in the ledger's database (append-only, like the entries).</summary>
public sealed class StoredCheckpoint
{
    public long Id { get; set; }
    public string Json { get; set; } = "";
    public long TreeSize { get; set; }
    public string Timestamp { get; set; } = "";
}

/// <summary>What comparing the chain with a checkpoint found.</summary>
public sealed record CheckpointCheck(
    bool SignatureValid,
    bool KeyTrusted,
    long CheckpointSize,
    long ChainSize,
    bool Matches,
    string? Problem,
    string Detail)
{
    /// <summary>Truncation: the chain is shorter than it was at the checkpoint.</summary>
    public const string Truncated = "truncated";

    /// <summary>The entries the checkpoint covers are not the ones signed.</summary>
    public const string Rewritten = "rewritten";

    public const string BadSignature = "bad_signature";

    /// <summary>Rows sit in the ledger's table outside the chain's sequences 1..head: planted, since no append writes there.</summary>
    public const string RowsOutsideChain = "rows_outside_chain";
}

/// <summary>
/// Makes signed checkpoints of the chain head (on demand, and on a schedule from the host), keeps them in the database
/// and optionally as files, and compares the chain with one. A chain that only grew since — rollbacks included, which
/// only append — matches; a shorter or rewritten one does not.
/// </summary>
public sealed class CheckpointService(
    AuditDatabase database, LedgerProofs proofs, CheckpointKeys keys, IOptions<AuditOptions> options, TimeProvider clock)
{
    public async Task<Checkpoint> CreateAsync(CancellationToken ct = default)
    {
        var (size, entryHash, root) = await proofs.HeadAsync(ct);
        var (key, keyId) = keys.Signing();
        var timestamp = HashSpec.FormatTimestamp(HashSpec.TruncateToMicroseconds(clock.GetUtcNow().UtcDateTime));
        var rootHex = Convert.ToHexStringLower(root);
        var signature = key.SignData(Checkpoint.SignedText(size, entryHash, rootHex, timestamp, keyId), HashAlgorithmName.SHA256);
        var checkpoint = new Checkpoint(Checkpoint.FormatV1, size, entryHash, rootHex, timestamp, keyId, Checkpoint.EcdsaP256Sha256,
            Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature));

        await using (var db = await database.CreateDbContextAsync(ct))
        {
            db.Checkpoints.Add(new StoredCheckpoint { Json = checkpoint.ToJson(), TreeSize = size, Timestamp = timestamp });
            await db.SaveChangesAsync(ct);
        }
        if (options.Value.Checkpoints.Directory is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            var name = $"checkpoint-{size:D12}-{timestamp.Replace(":", "", StringComparison.Ordinal)}.json";
            await using var file = new FileStream(Path.Combine(directory, name), FileMode.CreateNew, FileAccess.Write);
            await using var writer = new StreamWriter(file);
            await writer.WriteAsync(checkpoint.ToJson());
        }
        return checkpoint;
    }

    public async Task<Checkpoint?> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var json = await db.Checkpoints.OrderByDescending(c => c.Id).Select(c => c.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : Checkpoint.Parse(json);
    }

    /// <summary>
    /// The first checkpoint that covers the entry at <paramref name="sequence"/> (its tree size reaches it), with when
    /// it was stored; null when none does yet.
    /// </summary>
    public async Task<Checkpoint?> CoveringAsync(long sequence, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var json = await db.Checkpoints.Where(c => c.TreeSize >= sequence).OrderBy(c => c.TreeSize).ThenBy(c => c.Id)
            .Select(c => c.Json).FirstOrDefaultAsync(ct);
        return json is null ? null : Checkpoint.Parse(json);
    }

    /// <summary>Checks the signature (against the trusted key with its id), then that the chain still holds what was signed.</summary>
    public async Task<CheckpointCheck> CheckAsync(Checkpoint checkpoint, CancellationToken ct = default)
    {
        var (valid, trusted) = VerifySignature(checkpoint, keys.Trusted(checkpoint.KeyId));
        // One snapshot, one pass over the entries the checkpoint covers (not over the whole chain).
        var (size, prefixRoot, headHash, outside) = await proofs.PrefixAsync(checkpoint.TreeSize, ct);
        if (!valid)
            return new CheckpointCheck(false, trusted, checkpoint.TreeSize, size, false, CheckpointCheck.BadSignature,
                "the checkpoint's signature does not verify: the file was altered or signed by another key");
        if (size < checkpoint.TreeSize)
            return new CheckpointCheck(true, trusted, checkpoint.TreeSize, size, false, CheckpointCheck.Truncated,
                $"the chain has {size} entries but the checkpoint of {checkpoint.Timestamp} covers {checkpoint.TreeSize}: entries were removed from its end");
        if (outside > 0)
            return new CheckpointCheck(true, trusted, checkpoint.TreeSize, size, false, CheckpointCheck.RowsOutsideChain,
                $"{outside} row(s) of the ledger table lie outside the chain (sequence below 1), where no append writes and no checkpoint looks: they were planted; verification lists them");
        var root = Convert.ToHexStringLower(prefixRoot!);
        if (root != checkpoint.MerkleRoot || headHash != checkpoint.EntryHash)
            return new CheckpointCheck(true, trusted, checkpoint.TreeSize, size, false, CheckpointCheck.Rewritten,
                $"the first {checkpoint.TreeSize} entries are not the ones signed on {checkpoint.Timestamp} (Merkle root or entry {checkpoint.TreeSize}'s hash differs): the chain was rewritten");
        return new CheckpointCheck(true, trusted, checkpoint.TreeSize, size, true, null,
            $"the chain holds the {checkpoint.TreeSize} entries signed on {checkpoint.Timestamp}" +
            (size > checkpoint.TreeSize ? $" and {size - checkpoint.TreeSize} appended since" : "") +
            (trusted ? "" : "; the signing key is not among the trusted keys, so only the file's own key vouches for it"));
    }

    /// <summary>Verifies with the trusted key when there is one, else with the key the file carries (reported as untrusted).</summary>
    public static (bool Valid, bool Trusted) VerifySignature(Checkpoint checkpoint, ECDsa? trustedKey)
    {
        try
        {
            using var embedded = ECDsa.Create();
            embedded.ImportSubjectPublicKeyInfo(Convert.FromBase64String(checkpoint.PublicKey), out _);
            var key = trustedKey ?? embedded;
            var keyIdMatches = CheckpointKeys.KeyIdOf(key.ExportSubjectPublicKeyInfo()) == checkpoint.KeyId;
            var valid = keyIdMatches && checkpoint.Algorithm == Checkpoint.EcdsaP256Sha256 &&
                        key.VerifyData(checkpoint.SignedText(), Convert.FromBase64String(checkpoint.Signature), HashAlgorithmName.SHA256);
            return (valid, trustedKey is not null);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return (false, trustedKey is not null);
        }
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>
/// A checkpoint as stored in the ledger's database (append-only, like the entries). The anchor columns are the one
/// exception: while <see cref="TimestampToken"/> is null they may be written (a later anchor, or a new failure
/// reason); once a token is stored the row is frozen. The database's guards enforce both.
/// </summary>
public sealed class StoredCheckpoint
{
    public long Id { get; set; }
    public string Json { get; set; } = "";
    public long TreeSize { get; set; }
    public string Timestamp { get; set; } = "";

    /// <summary>The RFC 3161 token's DER bytes; null while not anchored.</summary>
    public byte[]? TimestampToken { get; set; }

    /// <summary>The token's genTime, as hash-spec text; null while not anchored.</summary>
    public string? AnchoredAt { get; set; }

    /// <summary>Why the last request for a token failed; null when anchored or never tried.</summary>
    public string? AnchorProblem { get; set; }
}

/// <summary>A stored checkpoint with its id and anchor state (the token, also inside <see cref="Checkpoint"/> as base64).</summary>
public sealed record CheckpointRecord(long Id, Checkpoint Checkpoint, byte[]? TimestampToken, DateTime? AnchoredAt, string? AnchorProblem)
{
    /// <summary>Why there is no token, for people: the stored failure, or that no TSA was asked.</summary>
    public string UnanchoredReason => AnchorProblem ?? "no time-stamping authority was configured when it was made";
}

/// <summary>What one attempt to anchor a stored checkpoint did.</summary>
public sealed record AnchorAttempt(long Id, long TreeSize, bool Anchored, DateTime? GenTime, string Detail);

/// <summary>What comparing the chain with a checkpoint found.</summary>
public sealed record CheckpointCheck(
    bool SignatureValid,
    bool KeyTrusted,
    long CheckpointSize,
    long ChainSize,
    bool Matches,
    string? Problem,
    string Detail,
    AnchorCheck? Anchor = null)
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
    AuditDatabase database, LedgerProofs proofs, CheckpointKeys keys, IOptions<AuditOptions> options, TimeProvider clock,
    TimestampAuthority tsa)
{
    private TimestampingOptions Timestamping => options.Value.Timestamping;

    /// <summary>
    /// Signs the chain head and stores the checkpoint; with a TSA configured, first asks it for a token over the
    /// signed statement. A TSA that fails does not lose the checkpoint: it is stored unanchored with the reason.
    /// </summary>
    public async Task<Checkpoint> CreateAsync(CancellationToken ct = default)
    {
        var (size, entryHash, root) = await proofs.HeadAsync(ct);
        var (key, keyId) = keys.Signing();
        var timestamp = HashSpec.FormatTimestamp(HashSpec.TruncateToMicroseconds(clock.GetUtcNow().UtcDateTime));
        var rootHex = Convert.ToHexStringLower(root);
        var signature = key.SignData(Checkpoint.SignedText(size, entryHash, rootHex, timestamp, keyId), HashAlgorithmName.SHA256);
        var checkpoint = new Checkpoint(Checkpoint.FormatV1, size, entryHash, rootHex, timestamp, keyId, Checkpoint.EcdsaP256Sha256,
            Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Convert.ToBase64String(signature));
        var stored = new StoredCheckpoint { Json = checkpoint.ToJson(), TreeSize = size, Timestamp = timestamp };
        if (tsa.Enabled) await TryAnchorAsync(checkpoint, stored, ct);
        checkpoint = WithToken(checkpoint, stored.TimestampToken);

        await using (var db = await database.CreateDbContextAsync(ct))
        {
            db.Checkpoints.Add(stored);
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

    public async Task<Checkpoint?> LatestAsync(CancellationToken ct = default) => (await LatestRecordAsync(ct))?.Checkpoint;

    /// <summary>The newest stored checkpoint with its id and anchor state; null when there is none.</summary>
    public async Task<CheckpointRecord?> LatestRecordAsync(CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var row = await db.Checkpoints.AsNoTracking().OrderByDescending(c => c.Id).FirstOrDefaultAsync(ct);
        return row is null ? null : ToRecord(row);
    }

    /// <summary>The stored checkpoint with this id; null when there is none.</summary>
    public async Task<CheckpointRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var row = await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return row is null ? null : ToRecord(row);
    }

    /// <summary>The newest stored checkpoints, newest first.</summary>
    public async Task<IReadOnlyList<CheckpointRecord>> ListAsync(int limit = 50, CancellationToken ct = default)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        var rows = await db.Checkpoints.AsNoTracking().OrderByDescending(c => c.Id).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(ct);
        return [.. rows.Select(ToRecord)];
    }

    /// <summary>
    /// Asks the TSA for tokens for the checkpoint with <paramref name="id"/>, or for every stored checkpoint without
    /// one (oldest first). Each success stores the token and its genTime (genTime is then the time of anchoring, not
    /// of the checkpoint); each failure stores the new reason.
    /// </summary>
    public async Task<IReadOnlyList<AnchorAttempt>> AnchorAsync(long? id = null, CancellationToken ct = default)
    {
        if (!tsa.Enabled)
            throw new AuditValidationException("Audit:Timestamping:Url", "is not set: configure a time-stamping authority before anchoring (docs/operations.md)");
        List<long> ids;
        await using (var db = await database.CreateDbContextAsync(ct))
        {
            if (id is { } one)
            {
                var row = await db.Checkpoints.AsNoTracking().Where(c => c.Id == one).Select(c => new { c.Id, Anchored = c.TimestampToken != null }).FirstOrDefaultAsync(ct)
                    ?? throw new AuditValidationException("id", $"no checkpoint has id {one}");
                if (row.Anchored) throw new AuditValidationException("id", $"checkpoint {one} is already anchored; a stored token is never replaced");
                ids = [one];
            }
            else
            {
                ids = await db.Checkpoints.Where(c => c.TimestampToken == null).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(ct);
            }
        }
        var attempts = new List<AnchorAttempt>();
        foreach (var next in ids)
        {
            await using var db = await database.CreateDbContextAsync(ct);
            var row = await db.Checkpoints.AsNoTracking().FirstAsync(c => c.Id == next, ct);
            await TryAnchorAsync(Checkpoint.Parse(row.Json), row, ct);
            // Set-based and conditional: only a row still without a token is written (the guards allow nothing else),
            // so two processes anchoring at once cannot replace each other's token.
            await db.Checkpoints.Where(c => c.Id == next && c.TimestampToken == null).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.TimestampToken, row.TimestampToken)
                .SetProperty(c => c.AnchoredAt, row.AnchoredAt)
                .SetProperty(c => c.AnchorProblem, row.AnchorProblem), ct);
            attempts.Add(row.TimestampToken is null
                ? new AnchorAttempt(row.Id, row.TreeSize, false, null, row.AnchorProblem ?? "")
                : new AnchorAttempt(row.Id, row.TreeSize, true, ParseTime(row.AnchoredAt), $"anchored at {row.AnchoredAt}"));
        }
        return attempts;
    }

    /// <summary>Checks a checkpoint's token against the configured trusted TSA certificates (no database needed).</summary>
    public AnchorCheck CheckAnchor(Checkpoint checkpoint, string? unanchoredReason = null)
    {
        X509Certificate2Collection trusted;
        try
        {
            trusted = TsaCertificates.Load(Timestamping.TrustedCertificates);
        }
        catch (AuditValidationException ex)
        {
            // A broken setting is reported with the checkpoint (pages and lists keep working), never silently trusted.
            return checkpoint.TimestampToken is null
                ? new AnchorCheck(AnchorCheck.NotAnchored, null, null, unanchoredReason ?? "the checkpoint carries no timestamp token")
                : new AnchorCheck(AnchorCheck.NoTrustedTsa, null, null, $"the token was not checked: {ex.Message}");
        }
        try
        {
            return AnchorVerifier.Verify(checkpoint, trusted, Timestamping.ClockTolerance, unanchoredReason);
        }
        finally
        {
            foreach (var certificate in trusted) certificate.Dispose();
        }
    }

    private async Task TryAnchorAsync(Checkpoint checkpoint, StoredCheckpoint row, CancellationToken ct)
    {
        try
        {
            var token = await tsa.RequestTokenAsync(AnchorVerifier.Digest(checkpoint), ct);
            row.TimestampToken = token;
            row.AnchoredAt = HashSpec.FormatTimestamp(HashSpec.TruncateToMicroseconds(
                System.Security.Cryptography.Pkcs.Rfc3161TimestampToken.TryDecode(token, out var decoded, out _)
                    ? decoded.TokenInfo.Timestamp.UtcDateTime : clock.GetUtcNow().UtcDateTime));
            row.AnchorProblem = null;
        }
        catch (TimestampException ex)
        {
            var problem = $"{HashSpec.FormatTimestamp(HashSpec.TruncateToMicroseconds(clock.GetUtcNow().UtcDateTime))}: {ex.Message}";
            row.AnchorProblem = problem.Length <= AuditSchema.MaxAnchorProblemLength ? problem : problem[..(AuditSchema.MaxAnchorProblemLength - 1)] + "…";
        }
    }

    private static Checkpoint WithToken(Checkpoint checkpoint, byte[]? token) =>
        checkpoint with { TimestampToken = token is null ? null : Convert.ToBase64String(token) };

    private static CheckpointRecord ToRecord(StoredCheckpoint row) =>
        new(row.Id, WithToken(Checkpoint.Parse(row.Json), row.TimestampToken), row.TimestampToken, ParseTime(row.AnchoredAt), row.AnchorProblem);

    private static DateTime? ParseTime(string? text) => text is not null && HashSpec.TryParseTimestamp(text, out var at) ? at : null;

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

    /// <summary>
    /// Checks the signature (against the trusted key with its id), then that the chain still holds what was signed,
    /// and the checkpoint's timestamp token, if any (<see cref="CheckpointCheck.Anchor"/>).
    /// </summary>
    public async Task<CheckpointCheck> CheckAsync(Checkpoint checkpoint, CancellationToken ct = default, string? unanchoredReason = null) =>
        await CheckChainAsync(checkpoint, ct) with { Anchor = CheckAnchor(checkpoint, unanchoredReason) };

    private async Task<CheckpointCheck> CheckChainAsync(Checkpoint checkpoint, CancellationToken ct)
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

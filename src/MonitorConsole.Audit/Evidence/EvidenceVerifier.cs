using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Merkle;

namespace MonitorConsole.Audit.Evidence;

/// <summary>How to judge a pack: the keys and certificates the auditor trusts, not any the pack carries.</summary>
/// <param name="TrustedKey">The ledger's published checkpoint key; without it the pack's own key is used and the signer is not vouched for.</param>
/// <param name="TrustedTsa">The TSA certificates the auditor trusts; without them the time anchor is not judged.</param>
/// <param name="CheckFileList">Whether SHA256SUMS must list every file (off while a pack is still being made).</param>
public sealed record EvidenceTrust(ECDsa? TrustedKey, X509Certificate2Collection TrustedTsa, TimeSpan ClockTolerance, bool CheckFileList = true);

/// <summary>What checking a pack found: one line per check, and whether any failed.</summary>
public sealed record EvidenceVerification(IReadOnlyList<EvidenceCheck> Checks, long Entries, long ErasedEntries, long TreeSize)
{
    public bool Valid => Checks.All(c => c.Outcome != EvidenceCheckOutcome.Failed);

    /// <summary>Valid, and signed by a key the auditor gave as trusted: what "vouched for" means.</summary>
    public bool Vouched => Valid && Checks.Any(c => c.Title == EvidenceVerifier.SigningKeyTrusted && c.Outcome == EvidenceCheckOutcome.Passed);

    /// <summary>The SHA-256 of the zip checked (null for a folder): what the ledger's EVIDENCE_PACK_MADE record must hold.</summary>
    public string? ZipSha256 { get; init; }
}

/// <summary>
/// Checks an evidence pack with nothing but its files and what the auditor trusts: the file list, the checkpoint's
/// signature and time anchor, that the openssl files say what checkpoint.json says, every entry's hashes (erasures
/// included), and that every entry's inclusion proof leads to the checkpoint's Merkle root. Streams, so a pack of any
/// size is checked in flat memory. Nothing the pack says about itself (manifest, report) is relied on.
/// </summary>
public static class EvidenceVerifier
{
    public const string SigningKeyTrusted = "Signing key trusted";

    /// <summary>The most any small file of a pack (checkpoint, statement, key, token, SHA256SUMS) may hold when read whole.</summary>
    private const int SmallFileLimit = 1 << 20;

    private static readonly HashSet<string> KnownFiles = new(StringComparer.Ordinal)
    {
        EvidencePackFiles.Entries, EvidencePackFiles.Checkpoint, EvidencePackFiles.Proofs, EvidencePackFiles.Statement,
        EvidencePackFiles.Signature, EvidencePackFiles.PublicKey, EvidencePackFiles.Token, EvidencePackFiles.Manifest,
        EvidencePackFiles.ReportHtml, EvidencePackFiles.ReportPdf, EvidencePackFiles.Guide, EvidencePackFiles.Sums,
    };

    public static async Task<EvidenceVerification> VerifyAsync(IEvidenceSource pack, EvidenceTrust trust, CancellationToken ct = default)
    {
        var checks = new List<EvidenceCheck>();
        if (trust.CheckFileList) checks.Add(await FileListAsync(pack, ct));
        foreach (var required in new[] { EvidencePackFiles.Entries, EvidencePackFiles.Checkpoint, EvidencePackFiles.Proofs })
            if (!pack.Names.Contains(required))
                checks.Add(new EvidenceCheck($"{required} present", EvidenceCheckOutcome.Failed, $"the pack has no {required}, so it proves nothing"));
        if (checks.Any(c => c.Outcome == EvidenceCheckOutcome.Failed && c.Title.EndsWith(" present", StringComparison.Ordinal)))
            return new EvidenceVerification(checks, 0, 0, 0);

        if (pack.Names.Where(n => !KnownFiles.Contains(n)).ToList() is { Count: > 0 } unknown)
            checks.Add(new EvidenceCheck("Only a pack's files", EvidenceCheckOutcome.Failed,
                $"the pack holds {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? ", …" : "")}, which no pack has: a reader could take it for one of the pack's files"));

        var checkpoint = Checkpoint.Parse(System.Text.Encoding.UTF8.GetString(await ReadSmallAsync(pack, EvidencePackFiles.Checkpoint, ct)));
        checks.AddRange(CheckpointChecks(checkpoint, trust));
        checks.Add(await ArtifactsAsync(pack, checkpoint, ct));

        ExportVerification entries;
        await using (var stream = pack.Open(EvidencePackFiles.Entries))
            entries = await ExportVerifier.VerifyJsonAsync(stream, ExportCheckMode.Trail, ct: ct);
        checks.Add(new EvidenceCheck("Entries' hashes", entries.Outcome == ExportOutcomes.EntriesValid ? EvidenceCheckOutcome.Passed : EvidenceCheckOutcome.Failed,
            entries.Outcome == ExportOutcomes.EntriesValid ? entries.Summary : $"{entries.Summary}: {string.Join("; ", entries.Problems.Take(3).Select(p => p.Detail))}"));
        if (entries.TotalEntries == 0)
            checks.Add(new EvidenceCheck("Entries present", EvidenceCheckOutcome.Failed, "entries.json holds no entries, so the pack proves nothing (a pack always holds at least one)"));
        checks.Add(await ProofsAsync(pack, checkpoint, ct));
        return new EvidenceVerification(checks, entries.TotalEntries, entries.ErasedCount, checkpoint.TreeSize);
    }

    /// <summary>Opens a zip and checks it.</summary>
    public static async Task<EvidenceVerification> VerifyFileAsync(string path, EvidenceTrust trust, CancellationToken ct = default)
    {
        var result = await VerifyAsync(new ZipEvidenceSource(path), trust, ct);
        await using var zip = File.OpenRead(path);
        return result with { ZipSha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(zip, ct)) };
    }

    /// <summary>Reads a small file whole, refusing one too large to be what it says (a zip can inflate to anything).</summary>
    private static async Task<byte[]> ReadSmallAsync(IEvidenceSource pack, string name, CancellationToken ct)
    {
        await using var stream = pack.Open(name);
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            if (copy.Length + read > SmallFileLimit) throw new AuditValidationException(name, $"is larger than {SmallFileLimit / 1024} KiB, which no pack's {name} is");
            copy.Write(buffer, 0, read);
        }
        return copy.ToArray();
    }

    private static IEnumerable<EvidenceCheck> CheckpointChecks(Checkpoint checkpoint, EvidenceTrust trust)
    {
        var (signed, trusted) = CheckpointService.VerifySignature(checkpoint, trust.TrustedKey);
        yield return new EvidenceCheck("Checkpoint signature", signed ? EvidenceCheckOutcome.Passed : EvidenceCheckOutcome.Failed,
            signed ? $"the checkpoint of {checkpoint.TreeSize} entries ({checkpoint.Timestamp}) is signed by key {checkpoint.KeyId}"
                   : trusted ? $"the checkpoint's signature does not verify with the trusted key: it was altered, or signed by another key than {checkpoint.KeyId}"
                             : "the checkpoint's signature does not verify: checkpoint.json was altered");
        yield return trusted
            ? new EvidenceCheck(SigningKeyTrusted, signed ? EvidenceCheckOutcome.Passed : EvidenceCheckOutcome.Failed,
                signed ? $"key {checkpoint.KeyId} is the trusted public key the check was given" : "the checkpoint is not signed by the trusted public key the check was given")
            : new EvidenceCheck(SigningKeyTrusted, EvidenceCheckOutcome.NotChecked,
                $"no trusted key was given, so the pack's own key vouched for the signature: compare key id {checkpoint.KeyId} with the one the ledger's owner publishes (or check with --public-key)");
        var anchor = AnchorVerifier.Verify(checkpoint, trust.TrustedTsa, trust.ClockTolerance);
        yield return new EvidenceCheck("Time anchor (RFC 3161)", anchor.Outcome switch
        {
            AnchorCheck.Anchored => EvidenceCheckOutcome.Passed,
            AnchorCheck.NotAnchored or AnchorCheck.NoTrustedTsa => EvidenceCheckOutcome.NotChecked,
            _ => EvidenceCheckOutcome.Failed,
        }, anchor.Detail);
    }

    /// <summary>The openssl files must say exactly what checkpoint.json says, or openssl would vouch for something else.</summary>
    private static async Task<EvidenceCheck> ArtifactsAsync(IEvidenceSource pack, Checkpoint checkpoint, CancellationToken ct)
    {
        const string title = "Checkpoint files for openssl";
        var differing = new List<string>();
        var missing = new List<string>();
        foreach (var (name, expected) in CheckpointArtifacts.Of(checkpoint))
        {
            if (!pack.Names.Contains(name))
            {
                missing.Add(name);
                continue;
            }
            if (!(await ReadSmallAsync(pack, name, ct)).AsSpan().SequenceEqual(expected)) differing.Add(name);
        }
        if (checkpoint.TimestampToken is null && pack.Names.Contains(EvidencePackFiles.Token)) differing.Add(EvidencePackFiles.Token);
        if (differing.Count > 0)
            return new EvidenceCheck(title, EvidenceCheckOutcome.Failed,
                $"{string.Join(", ", differing)} {(differing.Count == 1 ? "does" : "do")} not match checkpoint.json: openssl would be checking something else than the checkpoint the proofs lead to");
        return missing.Count > 0
            ? new EvidenceCheck(title, EvidenceCheckOutcome.NotChecked, $"{string.Join(", ", missing)} missing: the openssl steps of VERIFY.md cannot be followed, but checkpoint.json was checked")
            : new EvidenceCheck(title, EvidenceCheckOutcome.Passed, "the statement, signature, public key and token files are those of checkpoint.json");
    }

    /// <summary>Walks entries.json and inclusion-proofs.jsonl side by side: one proof per entry, each reaching the checkpoint's root.</summary>
    private static async Task<EvidenceCheck> ProofsAsync(IEvidenceSource pack, Checkpoint checkpoint, CancellationToken ct)
    {
        const string title = "Inclusion proofs";
        var root = Convert.FromHexString(checkpoint.MerkleRoot);
        await using var entriesStream = pack.Open(EvidencePackFiles.Entries);
        await using var proofsStream = pack.Open(EvidencePackFiles.Proofs);
        await using var proofs = InclusionProofLines.ReadAsync(proofsStream, ct).GetAsyncEnumerator(ct);
        long proven = 0, failed = 0;
        string? first = null;
        void Fail(string why)
        {
            failed++;
            first ??= why;
        }
        // Both files are in sequence order: a merge join, so a proof without its entry and an entry without its proof are both named.
        var more = await proofs.MoveNextAsync();
        await foreach (var item in JsonExportReader.ReadAsync(entriesStream, ct))
        {
            if (item is not JsonExportReader.Entry { Value: var entry }) continue;
            while (more && proofs.Current.Sequence < entry.Sequence)
            {
                Fail($"the proof for sequence {proofs.Current.Sequence} has no entry in entries.json");
                more = await proofs.MoveNextAsync();
            }
            if (!more || proofs.Current.Sequence != entry.Sequence)
            {
                Fail($"entry {entry.Sequence} has no proof in inclusion-proofs.jsonl");
                continue;
            }
            if (Reaches(entry.EntryHash, proofs.Current, checkpoint.TreeSize, root, out var why)) proven++;
            else Fail($"entry {entry.Sequence}: {why}");
            more = await proofs.MoveNextAsync();
        }
        for (; more; more = await proofs.MoveNextAsync()) Fail($"the proof for sequence {proofs.Current.Sequence} has no entry in entries.json");
        return failed == 0
            ? new EvidenceCheck(title, EvidenceCheckOutcome.Passed,
                $"all {proven} entries are in the tree of the checkpoint's {checkpoint.TreeSize} entries: each audit path leads to its Merkle root")
            : new EvidenceCheck(title, EvidenceCheckOutcome.Failed, $"{failed} of {proven + failed} entries are not proven; the first: {first}");
    }

    private static bool Reaches(string? entryHash, ProofLine proof, long treeSize, byte[] root, out string why)
    {
        why = "";
        if (!HashSpec.IsHashHex(entryHash) || !HashSpec.IsHashHex(proof.LeafHash) || proof.AuditPath.Any(h => !HashSpec.IsHashHex(h)))
        {
            why = "its entry_hash, leaf_hash or audit path holds something that is not a 64-hex-digit hash";
            return false;
        }
        var leaf = MerkleTree.LeafHash(entryHash!);
        if (Convert.ToHexStringLower(leaf) != proof.LeafHash)
        {
            why = "the proof's leaf_hash is not the leaf hash of the entry's entry_hash";
            return false;
        }
        if (proof.TreeSize != treeSize || proof.LeafIndex != proof.Sequence - 1)
        {
            why = $"the proof is for leaf {proof.LeafIndex} of a tree of {proof.TreeSize}, not leaf {proof.Sequence - 1} of the checkpoint's {treeSize}";
            return false;
        }
        var computed = MerkleTree.RootFromInclusion(proof.LeafIndex, treeSize, leaf, [.. proof.AuditPath.Select(Convert.FromHexString)]);
        if (computed is null || !computed.AsSpan().SequenceEqual(root))
        {
            why = "its audit path does not lead to the checkpoint's Merkle root: the entry, the proof or the checkpoint was altered";
            return false;
        }
        return true;
    }

    /// <summary>SHA256SUMS lists every other file with its hash, in sha256sum's format.</summary>
    private static async Task<EvidenceCheck> FileListAsync(IEvidenceSource pack, CancellationToken ct)
    {
        const string title = "Files as listed in SHA256SUMS";
        if (!pack.Names.Contains(EvidencePackFiles.Sums))
            return new EvidenceCheck(title, EvidenceCheckOutcome.Failed, "the pack has no SHA256SUMS: it is not a pack as MonitorConsole makes them");
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = new StreamReader(new MemoryStream(await ReadSmallAsync(pack, EvidencePackFiles.Sums, ct))))
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.Length == 0) continue;
                if (line.Length < 67 || line[64] != ' ' || !HashSpec.IsHashHex(line[..64]))
                    return new EvidenceCheck(title, EvidenceCheckOutcome.Failed, $"SHA256SUMS has a line that is not '<sha256>  <file>': {Shorten(line)}");
                var name = line[66..];
                if (!listed.TryAdd(name, line[..64]))
                    return new EvidenceCheck(title, EvidenceCheckOutcome.Failed, $"SHA256SUMS lists {name} twice");
            }
        }
        var problems = new List<string>();
        foreach (var name in pack.Names.Where(n => n != EvidencePackFiles.Sums))
        {
            if (!listed.TryGetValue(name, out var expected))
            {
                problems.Add($"{name} is not listed");
                continue;
            }
            await using var stream = pack.Open(name);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
            if (actual != expected) problems.Add($"{name} does not match its hash");
        }
        problems.AddRange(listed.Keys.Where(n => !pack.Names.Contains(n)).Select(n => $"{n} is listed but not in the pack"));
        return problems.Count == 0
            ? new EvidenceCheck(title, EvidenceCheckOutcome.Passed, $"all {listed.Count} files match their SHA-256 (this shows the zip is whole; the checks below show whether it is genuine)")
            : new EvidenceCheck(title, EvidenceCheckOutcome.Failed, string.Join("; ", problems));
    }

    private static string Shorten(string line) => line.Length <= 80 ? line : line[..80] + "…";
}

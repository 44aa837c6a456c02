using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// Makes evidence packs: the entries a filter picks (up to the chain's head when the pack is started), the newest
/// signed checkpoint covering them (a new one when none does), an inclusion proof per entry, a report of what was
/// checked, VERIFY.md and SHA256SUMS, zipped. The pack is made whole in a private folder and checked there as an
/// auditor would check it before it is handed over; recording it in the ledger is the caller's step, between
/// <see cref="PrepareAsync"/> and <see cref="PreparedEvidencePack.CopyToAsync"/>.
/// </summary>
public sealed class EvidencePacks(
    AuditQueries queries, AuditExporter exporter, LedgerProofs proofs, CheckpointService checkpoints, CheckpointKeys keys,
    ChainVerifier verifier, IOptions<AuditOptions> options, TimeProvider clock)
{
    /// <summary>
    /// Counts what a filter picks up to the chain's head, and refuses what no pack can hold: nothing, or more than
    /// <see cref="EvidenceOptions.MaxEntries"/>. Cheap, so a page can ask before it offers the download.
    /// </summary>
    public async Task<(TrailFilter Scope, long Entries)> ScopeAsync(TrailFilter? filter, CancellationToken ct = default)
    {
        filter ??= TrailFilter.All with { IncludeRolledBack = true };
        var head = (await queries.GetSummaryAsync(ct)).ChainLength;
        var scope = filter with { ThroughSequence = head };
        var count = head == 0 ? 0 : await queries.CountAsync(scope, ct);
        var max = options.Value.Evidence.MaxEntries;
        if (count == 0) throw new AuditValidationException("filter", "picks no entries, so there is nothing to prove");
        if (count > max)
            throw new AuditValidationException("filter",
                $"picks {count:N0} entries; a pack holds at most {max:N0} (Audit:Evidence:MaxEntries). Narrow the trail by actor, resource or time; the whole chain is served by a chain export and a signed checkpoint");
        return (scope, count);
    }

    public async Task<PreparedEvidencePack> PrepareAsync(TrailFilter? filter, string madeBy, CancellationToken ct = default)
    {
        var (scope, _) = await ScopeAsync(filter, ct);
        var madeAt = HashSpec.TruncateToMicroseconds(clock.GetUtcNow().UtcDateTime);
        var folder = Directory.CreateTempSubdirectory("monitorconsole-evidence-");
        try
        {
            var files = Path.Combine(folder.FullName, "pack");
            Directory.CreateDirectory(Path.Combine(files, "checkpoint"));
            string Place(string name) => Path.Combine(files, name);

            var tally = new ExportTally();
            await using (var entries = Create(Place(EvidencePackFiles.Entries)))
                await exporter.ExportAsync(entries, ExportFormat.Json, scope, tally, ct);
            var (record, madeForPack) = await CheckpointCoveringAsync(tally.LastSequence ?? 0, scope.ThroughSequence ?? 0, ct);
            var checkpoint = record.Checkpoint;
            await File.WriteAllTextAsync(Place(EvidencePackFiles.Checkpoint), checkpoint.ToJson(), ct);
            foreach (var (name, content) in CheckpointArtifacts.Of(checkpoint)) await File.WriteAllBytesAsync(Place(name), content, ct);
            await WriteProofsAsync(Place(EvidencePackFiles.Entries), Place(EvidencePackFiles.Proofs), checkpoint.TreeSize, ct);

            var checks = new List<EvidenceCheck>(await DatabaseChecksAsync(record, ct));
            var selfCheck = await SelfCheckAsync(files, checkpoint, ct);
            checks.AddRange(selfCheck.Checks);
            var (rows, rolledBack) = await ListEntriesAsync(Place(EvidencePackFiles.Entries), ct);
            var counts = new EvidenceCounts(tally.EntryCount - tally.ErasureRecordsAdded.Count, tally.ErasureRecordsAdded.Count,
                selfCheck.ErasedEntries, rolledBack, tally.FirstSequence, tally.LastSequence, scope.ThroughSequence ?? 0);
            var anchor = checkpoints.CheckAnchor(checkpoint, record.UnanchoredReason);
            var info = new EvidenceCheckpoint(checkpoint.TreeSize, checkpoint.Timestamp, checkpoint.MerkleRoot, checkpoint.EntryHash,
                checkpoint.KeyId, madeForPack, anchor.Summary);
            await File.WriteAllTextAsync(Place(EvidencePackFiles.Guide), EvidenceGuide.Write(checkpoint), ct);

            // The report lists the files it sits beside; its own hash and the PDF's are in SHA256SUMS.
            // Each file is hashed once: entries and proofs run to hundreds of MiB at the size limit.
            var hashed = new Dictionary<string, EvidenceFile>(StringComparer.Ordinal);
            var listed = Listed(files, hashed);
            var report = new EvidenceReport(madeBy, madeAt, Describe(scope), counts, info, checks, rows, listed);
            await File.WriteAllTextAsync(Place(EvidencePackFiles.ReportHtml), EvidenceReportHtml.Render(report), ct);
            string? pdfNotMade;
            await using (var pdf = Create(Place(EvidencePackFiles.ReportPdf)))
                EvidenceReportPdf.TryRender(report, pdf, out pdfNotMade);
            if (pdfNotMade is not null) File.Delete(Place(EvidencePackFiles.ReportPdf));
            await File.WriteAllTextAsync(Place(EvidencePackFiles.Manifest), EvidenceManifest.Write(report, scope, pdfNotMade, Listed(files, hashed)), ct);
            await File.WriteAllTextAsync(Place(EvidencePackFiles.Sums), Sums(Listed(files, hashed)), ct);

            var zip = Path.Combine(folder.FullName, "pack.zip");
            Zip(files, zip);
            await using var zipped = File.OpenRead(zip);
            var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(zipped, ct));
            return new PreparedEvidencePack(folder, zip, sha256, zipped.Length, report, pdfNotMade);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The newest stored checkpoint when it covers the entries (and is anchored, when a TSA is configured: a pack
    /// should carry a time anchor whenever one can be had); else a new one.
    /// </summary>
    private async Task<(CheckpointRecord Record, bool MadeForPack)> CheckpointCoveringAsync(long lastSequence, long head, CancellationToken ct)
    {
        if (await checkpoints.LatestRecordAsync(ct) is { } latest)
        {
            if (latest.Checkpoint.TreeSize > head)
                throw new AuditOperationException(
                    $"the newest checkpoint covers {latest.Checkpoint.TreeSize} entries but the chain holds {head}: entries were removed from its end (or an older copy of the database was restored); verify the chain before making a pack");
            if (latest.Checkpoint.TreeSize >= lastSequence && (latest.TimestampToken is not null || string.IsNullOrWhiteSpace(options.Value.Timestamping.Url)))
                return (latest, false);
        }
        await checkpoints.CreateAsync(ct);
        var made = await checkpoints.LatestRecordAsync(ct) ?? throw new AuditOperationException("the checkpoint just made cannot be read back");
        if (made.Checkpoint.TreeSize < lastSequence)
            throw new AuditOperationException($"the newest checkpoint covers {made.Checkpoint.TreeSize} entries but the pack holds entry {lastSequence}; try again");
        return (made, true);
    }

    private async Task WriteProofsAsync(string entriesPath, string proofsPath, long treeSize, CancellationToken ct)
    {
        await using var output = new StreamWriter(Create(proofsPath), new UTF8Encoding(false)) { NewLine = "\n" };
        await foreach (var proof in proofs.InclusionsAsync(SequencesAsync(entriesPath, ct), treeSize, ct))
            await output.WriteLineAsync(InclusionProofLines.Format(proof));
    }

    private static async IAsyncEnumerable<long> SequencesAsync(string entriesPath, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = File.OpenRead(entriesPath);
        await foreach (var item in JsonExportReader.ReadAsync(stream, ct))
            if (item is JsonExportReader.Entry { Value.Sequence: { } sequence }) yield return sequence;
    }

    /// <summary>What the database says when the pack is made: the whole chain verifies, and still holds what the checkpoint signed.</summary>
    private async Task<IReadOnlyList<EvidenceCheck>> DatabaseChecksAsync(CheckpointRecord record, CancellationToken ct)
    {
        var chain = await verifier.VerifyAsync(VerificationScope.WholeChain, null, ct);
        var erased = chain.ErasedCount switch { 0 => "", 1 => "; 1 entry's data erased, recorded by an ERASURE entry", var n => $"; {n} entries' data erased, each recorded by an ERASURE entry" };
        var chainCheck = chain.Valid
            ? new EvidenceCheck("Whole chain verified in the database", EvidenceCheckOutcome.Passed,
                $"all {chain.TotalEntries:N0} entries of the ledger verified when the pack was made: every hash, link and timestamp order holds{erased}")
            : new EvidenceCheck("Whole chain verified in the database", EvidenceCheckOutcome.Failed,
                $"TAMPERING FOUND in the ledger when the pack was made: {chain.InvalidEntryCount} invalid entries and {chain.ChainBreakCount} broken links in {chain.TotalEntries:N0}; see the console's Verify page");
        var match = await checkpoints.CheckAsync(record.Checkpoint, ct, record.UnanchoredReason);
        var matchCheck = new EvidenceCheck("Checkpoint matches the database", match.Matches ? EvidenceCheckOutcome.Passed : EvidenceCheckOutcome.Failed, match.Detail);
        return [chainCheck, matchCheck];
    }

    /// <summary>The pack checked as an auditor would, trusting what the ledger trusts: its own keys and configured TSA certificates.</summary>
    private async Task<EvidenceVerification> SelfCheckAsync(string files, Checkpoint checkpoint, CancellationToken ct)
    {
        X509Certificate2Collection tsa;
        try
        {
            tsa = TsaCertificates.Load(options.Value.Timestamping.TrustedCertificates);
        }
        catch (AuditValidationException)
        {
            tsa = [];
        }
        try
        {
            var trust = new EvidenceTrust(keys.Trusted(checkpoint.KeyId), tsa, options.Value.Timestamping.ClockTolerance, CheckFileList: false);
            return await EvidenceVerifier.VerifyAsync(new DirectoryEvidenceSource(files), trust, ct);
        }
        finally
        {
            foreach (var certificate in tsa) certificate.Dispose();
        }
    }

    private static async Task<(IReadOnlyList<EvidenceEntryRow> Rows, long RolledBack)> ListEntriesAsync(string entriesPath, CancellationToken ct)
    {
        var rows = new List<EvidenceEntryRow>();
        long rolledBack = 0;
        await using var stream = File.OpenRead(entriesPath);
        await foreach (var item in JsonExportReader.ReadAsync(stream, ct))
        {
            if (item is not JsonExportReader.Entry { Value: var e }) continue;
            if (e.RolledBack == true) rolledBack++;
            if (rows.Count < EvidenceReport.MaxListedEntries)
                rows.Add(new EvidenceEntryRow(e.Sequence ?? 0, e.Timestamp ?? "", e.Action ?? "", e.Actor ?? "",
                    e.ResourceId is null ? e.ResourceType ?? "" : $"{e.ResourceType}/{e.ResourceId}", e.DataErased == true, e.RolledBack == true, e.EntryHash ?? ""));
        }
        return (rows, rolledBack);
    }

    internal static EvidenceScope Describe(TrailFilter scope)
    {
        var items = new List<EvidenceScopeItem>();
        void Add(string label, string? value)
        {
            if (value is not null) items.Add(new EvidenceScopeItem(label, value));
        }
        Add("Actor", scope.Actor);
        Add("Action", scope.Action);
        Add("Resource type", scope.ResourceType);
        Add("Resource id", scope.ResourceId);
        Add("From", scope.From is { } from ? HashSpec.FormatTimestamp(from) : null);
        Add("To", scope.To is { } to ? HashSpec.FormatTimestamp(to) : null);
        Add("Words in data or details", scope.Text);
        return new EvidenceScope(scope.IsWholeChain ? "the whole chain" : "a trail", items, scope.ThroughSequence ?? 0, scope.IncludeRolledBack);
    }

    /// <summary>The pack's files so far (all but SHA256SUMS), each hashed the first time it is listed; a file is never changed once written.</summary>
    private static List<EvidenceFile> Listed(string files, Dictionary<string, EvidenceFile> hashed) =>
        [.. new DirectoryEvidenceSource(files).Names.Where(n => n is not EvidencePackFiles.Sums).Select(name =>
        {
            if (hashed.TryGetValue(name, out var known)) return known;
            using var stream = File.OpenRead(Path.Combine(files, name));
            return hashed[name] = new EvidenceFile(name, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)), EvidencePackFiles.PurposeOf(name));
        })];

    /// <summary>SHA256SUMS in sha256sum's own format, so `sha256sum -c SHA256SUMS` checks the unzipped files.</summary>
    private static string Sums(IEnumerable<EvidenceFile> files) =>
        string.Concat(files.Select(f => $"{f.Sha256}  {f.Name}\n"));

    private static void Zip(string files, string zipPath)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create);
        // Guide and report first, so a person opening the zip sees them at the top.
        var order = new[] { EvidencePackFiles.Guide, EvidencePackFiles.ReportHtml, EvidencePackFiles.ReportPdf, EvidencePackFiles.Sums, EvidencePackFiles.Manifest };
        var names = new DirectoryEvidenceSource(files).Names;
        foreach (var name in order.Where(names.Contains).Concat(names.Where(n => !order.Contains(n))))
            zip.CreateEntryFromFile(Path.Combine(files, name), name, CompressionLevel.Optimal);
    }

    private static FileStream Create(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
}

/// <summary>
/// A pack made and checked, waiting in a private folder to be recorded and handed over; disposing it deletes the
/// folder. <see cref="Sha256"/> is what `sha256sum pack.zip` prints for the copy delivered.
/// </summary>
public sealed class PreparedEvidencePack(DirectoryInfo folder, string zipPath, string sha256, long bytes, EvidenceReport report, string? pdfNotMade)
    : IAsyncDisposable
{
    public string Sha256 { get; } = sha256;
    public long Bytes { get; } = bytes;
    public EvidenceReport Report { get; } = report;

    /// <summary>Why the pack has no report.pdf (no font on the server, …); null when it has one.</summary>
    public string? PdfNotMade { get; } = pdfNotMade;

    /// <summary>Copies the zip with asynchronous writes only (an HTTP response refuses synchronous ones).</summary>
    public async Task CopyToAsync(Stream output, CancellationToken ct = default)
    {
        await using var zip = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await zip.CopyToAsync(output, 1 << 16, ct);
        await output.FlushAsync(ct);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is the system's to clean; the pack was handed over or refused already.
        }
        return ValueTask.CompletedTask;
    }
}

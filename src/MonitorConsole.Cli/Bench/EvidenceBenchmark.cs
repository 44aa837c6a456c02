using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Search;

namespace MonitorConsole.Cli.Bench;

/// <summary>
/// `bench evidence`: evidence packs on a ledger of the given size, their entries scattered over the whole chain (the
/// worst case for proofs: every entry in a block of its own), at the largest size a pack may have and at a typical one.
/// </summary>
internal sealed class EvidenceBenchmark(TextWriter stdout, string folder, int size, int packEntries)
{
    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var dbPath = Path.Combine(folder, "bench.db");
        await using var services = AuditBenchmark.LedgerServices(folder, $"sqlite:///{dbPath}");
        await stdout.WriteLineAsync($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        var sw = Stopwatch.StartNew();
        await services.GetRequiredService<AuditWriter>().AppendStreamAsync(Drafts(size, packEntries), ct);
        await services.GetRequiredService<SearchIndexer>().CatchUpAsync(ct);
        await stdout.WriteLineAsync($"ledger: {size:N0} entries in {dbPath}, appended and indexed in {sw.Elapsed.TotalSeconds:0.0} s");

        var packs = services.GetRequiredService<EvidencePacks>();
        var keys = services.GetRequiredService<CheckpointKeys>();
        foreach (var (actor, label) in new[] { ("subject", $"{packEntries:N0} entries, one every {size / packEntries:N0}"), ("typical", $"{size / 1000:N0} entries, one every 1,000") })
        {
            sw.Restart();
            var (_, count) = await packs.ScopeAsync(TrailFilter.ForActor(actor), ct);
            var counted = sw.Elapsed;
            var peakReset = DriftIngestBenchmark.ResetPeakResidentMemory();
            sw.Restart();
            await using var pack = await packs.PrepareAsync(TrailFilter.ForActor(actor), "bench", ct);
            var made = sw.Elapsed;
            var peak = Process.GetCurrentProcess().PeakWorkingSet64;
            var zip = Path.Combine(folder, $"{actor}.zip");
            await using (var file = File.Create(zip)) await pack.CopyToAsync(file, ct);
            sw.Restart();
            var result = await EvidenceVerifier.VerifyFileAsync(zip,
                new EvidenceTrust(keys.Trusted(pack.Report.Checkpoint.KeyId), [], TimeSpan.FromMinutes(5)), ct);
            var verified = sw.Elapsed;
            await stdout.WriteLineAsync($"pack of {label}: counted {count:N0} in {counted.TotalMilliseconds:0} ms; made and self-checked in {made.TotalSeconds:0.0} s " +
                $"(whole chain verified and checkpoint made inside), {new FileInfo(zip).Length / 1048576.0:0.0} MiB zip, " +
                $"peak resident {(peakReset ? $"{peak / 1048576.0:0} MiB" : "not measured")}; verify-evidence {verified.TotalSeconds:0.0} s (valid={result.Valid})");
            File.Delete(zip);
        }
    }

    private static async IAsyncEnumerable<AuditEntryDraft> Drafts(int size, int packEntries, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var every = Math.Max(1, size / packEntries);
        for (var i = 0; i < size; i++)
        {
            ct.ThrowIfCancellationRequested();
            var actor = i % every == 0 ? "subject" : i % 1000 == 1 ? "typical" : $"actor_{i % 100}";
            yield return new AuditEntryDraft(i % 7 == 0 ? "DEPLOY" : "UPDATE", actor, "model", $"model_{i % 500}",
                $$$"""{"step":{{{i}}},"config":{"threshold":0.85,"window":"7d"},"metrics":{"auc":0.92,"ks":0.45}}""");
        }
        await Task.CompletedTask;
    }
}

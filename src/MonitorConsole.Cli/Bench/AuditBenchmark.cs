using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Cli.Bench;

/// <summary>Runs each ledger operation at the given size and prints the rate next to its target.</summary>
internal sealed class AuditBenchmark(TextWriter stdout, string folder, int size, string? database = null)
{
    private const int ConcurrentThreads = 8;
    private const int ConcurrentAppendsPerThread = 1_500;

    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var dbPath = Path.Combine(folder, "bench.db");
        await using var services = LedgerServices(folder, database ?? $"sqlite:///{dbPath}");
        var writer = services.GetRequiredService<AuditWriter>();
        await stdout.WriteLineAsync($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        await stdout.WriteLineAsync(database is null ? $"ledger: {size:N0} entries in {dbPath} (WAL, synchronous=FULL)"
            : $"ledger: {size:N0} entries in {services.GetRequiredService<MonitorConsole.Audit.Storage.AuditDatabase>().Provider} database");

        var sw = Stopwatch.StartNew();
        const int batch = 50_000;
        for (var done = 0; done < size; done += batch)
            await writer.AppendStreamAsync(Drafts(done, Math.Min(batch, size - done)), ct);
        Report("batch append (50,000 per transaction)", size, sw.Elapsed, "≥ 50,000 entries/s");

        sw.Restart();
        await Task.WhenAll(Enumerable.Range(0, ConcurrentThreads).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < ConcurrentAppendsPerThread; i++)
                await writer.AppendAsync(Draft(i, $"thread_{t}"), ct);
        }, ct)));
        Report($"single appends, {ConcurrentThreads} threads (group commit)", ConcurrentThreads * ConcurrentAppendsPerThread, sw.Elapsed, "≥ 5,000 entries/s");

        sw.Restart();
        var verification = await services.GetRequiredService<ChainVerifier>().VerifyAsync(cancellationToken: ct);
        Report($"verify whole chain (valid={verification.Valid})", verification.TotalEntries, sw.Elapsed, "≥ 500,000 entries/s");
        await VerifyBoundsAsync(services.GetRequiredService<AuditDatabase>(), ct);

        var exporter = services.GetRequiredService<AuditExporter>();
        foreach (var format in new[] { ExportFormat.Json, ExportFormat.Csv })
        {
            var file = Path.Combine(folder, "export." + format.ToString().ToLowerInvariant());
            var before = Process.GetCurrentProcess().WorkingSet64;
            sw.Restart();
            long count;
            await using (var stream = File.Create(file)) count = await exporter.ExportAsync(stream, format, null, ct);
            var elapsed = sw.Elapsed;
            var after = Process.GetCurrentProcess().WorkingSet64;
            Report($"export {format} ({new FileInfo(file).Length / 1_048_576} MiB, working set {before / 1_048_576}→{after / 1_048_576} MiB)", count, elapsed, "≥ 300,000 entries/s");
            if (format == ExportFormat.Json)
            {
                sw.Restart();
                var offline = await ExportVerifier.VerifyFileAsync(file, ct: ct);
                Report($"verify JSON export offline (complete chain={offline.Complete})", offline.Result.TotalEntries, sw.Elapsed, "-");
            }
            File.Delete(file);
        }

        var queries = services.GetRequiredService<AuditQueries>();
        await queries.GetTrailAsync(TrailFilter.ForActor("actor_1"), limit: 50, ct: ct);
        var timings = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            sw.Restart();
            await queries.GetTrailAsync(TrailFilter.ForActor($"actor_{i % 100}"), limit: 50, ct: ct);
            timings.Add(sw.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        await stdout.WriteLineAsync($"{"actor trail, first page of 50",-60} median {timings[100]:0.00} ms, p95 {timings[190]:0.00} ms   target ≤ 5 ms");

        sw.Restart();
        var checkpoint = await services.GetRequiredService<MonitorConsole.Audit.Checkpoints.CheckpointService>().CreateAsync(ct);
        Report("signed checkpoint (Merkle root over every entry)", checkpoint.TreeSize, sw.Elapsed, "-");
        var cold = new MonitorConsole.Audit.Merkle.LedgerProofs(services.GetRequiredService<MonitorConsole.Audit.Storage.AuditDatabase>());
        sw.Restart();
        await cold.InclusionAsync(checkpoint.TreeSize / 3, checkpoint.TreeSize, ct);
        await stdout.WriteLineAsync($"{"inclusion proof, cold process (hashes every block once)",-60} {sw.Elapsed.TotalMilliseconds:0} ms");
        // The checkpoint above left the block hashes cached, as the hourly checkpoint does in a running console.
        var proofs = services.GetRequiredService<MonitorConsole.Audit.Merkle.LedgerProofs>();
        var random = new Random(7);
        await stdout.WriteLineAsync($"{"inclusion proof, random entry (cached blocks)",-60} {await MedianAsync(() => proofs.InclusionAsync(random.NextInt64(1, checkpoint.TreeSize + 1), checkpoint.TreeSize, ct))}");
        await stdout.WriteLineAsync($"{"consistency proof, random older size (cached blocks)",-60} {await MedianAsync(() => proofs.ConsistencyAsync(random.NextInt64(1, checkpoint.TreeSize + 1), checkpoint.TreeSize, ct))}");

        var target = await queries.GetBySequenceAsync(size - 100, ct);
        sw.Restart();
        var rollback = await services.GetRequiredService<RollbackService>().RollbackAsync(target!.Entry.EntryHash, "bench", "benchmark", ct);
        await stdout.WriteLineAsync($"{$"rollback {rollback.RolledBackCount} entries (verifies {size - 100:N0} first)",-60} {sw.Elapsed.TotalMilliseconds:0} ms   target ≤ 50 ms");

        await SearchAsync(services, queries, ct);
    }

    /// <summary>
    /// The search index: how fast it catches up with the whole chain, what filters cost with it, and batch appends
    /// while it indexes them (it runs after their commit, so appends should keep their rate).
    /// </summary>
    private async Task SearchAsync(ServiceProvider services, AuditQueries queries, CancellationToken ct)
    {
        var indexer = services.GetRequiredService<MonitorConsole.Audit.Search.SearchIndexer>();
        var sw = Stopwatch.StartNew();
        var indexed = await indexer.CatchUpAsync(ct);
        Report("search index catch-up over the whole chain", indexed, sw.Elapsed, "-");
        await stdout.WriteLineAsync($"{"actor trail in another case, indexed (first page of 50)",-60} {await MedianAsync(() => queries.GetTrailAsync(TrailFilter.ForActor("ACTOR_7"), limit: 50, ct: ct))}");
        await stdout.WriteLineAsync($"{"a rare word in data (q=4242), first page of 50",-60} {await MedianAsync(() => queries.GetTrailAsync(new TrailFilter { Text = "4242" }, limit: 50, ct: ct))}");
        sw.Restart();
        var total = await queries.CountAsync(new TrailFilter { Actor = "actor_7" }, ct);
        await stdout.WriteLineAsync($"{$"total of an actor's trail ({total:N0} entries)",-60} {sw.Elapsed.TotalMilliseconds:0} ms");

        var writer = services.GetRequiredService<AuditWriter>();
        var extra = Math.Max(50_000, size / 5);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long followed = 0;
        var follower = Task.Run(async () =>
        {
            // As the console's indexer would, but with no pause between passes: the hardest case for appends.
            while (!stop.IsCancellationRequested) followed += await indexer.CatchUpAsync(stop.Token);
        }, CancellationToken.None);
        sw.Restart();
        for (var done = 0; done < extra; done += 50_000)
            await writer.AppendStreamAsync(Drafts(size + done, Math.Min(50_000, extra - done)), ct);
        var appendTime = sw.Elapsed;
        await stop.CancelAsync();
        try { await follower; } catch (OperationCanceledException) { }
        Report($"batch append while the search indexer runs ({followed:N0} indexed meanwhile)", extra, appendTime, "≥ 50,000 entries/s");
        await stdout.WriteLineAsync($"{"search index behind after those appends",-60} {(await indexer.StatusAsync(ct)).Behind:N0} entries");
        await indexer.CatchUpAsync(ct);
    }

    /// <summary>
    /// Verification reads rows on one core while it hashes them on both; timing each half alone shows which one bounds
    /// it: the reading pass over the whole chain, and the hashing of 262,144 rows already in memory.
    /// </summary>
    private async Task VerifyBoundsAsync(AuditDatabase database, CancellationToken ct)
    {
        const int HeldRows = 262_144;
        await using var connection = await database.OpenConnectionAsync(ct);
        var sql = LedgerSql.Of(connection);
        var sw = Stopwatch.StartNew();
        long read = 0;
        await foreach (var batch in ChainRowReader.ReadAsync(connection, null, sql.FirstEntries(null), new SqlParameters(), ct))
            using (batch) read += batch.Count;
        Report("  of which reading the rows alone (one core)", read, sw.Elapsed, "-");

        var held = new List<ChainRowBatch>();
        await foreach (var batch in ChainRowReader.ReadAsync(connection, null, sql.FirstEntries(HeldRows), new SqlParameters(), ct))
            held.Add(batch);
        var checker = new ChainChecker(database.Options.MaxReportedProblems);
        sw.Restart();
        foreach (var batch in held) checker.Check(batch);
        Report("  of which hashing them alone (rows in memory, both cores)", checker.Total, sw.Elapsed, "-");
        foreach (var batch in held) batch.Dispose();
    }

    private static async Task<string> MedianAsync<T>(Func<Task<T>> operation)
    {
        var timings = new List<double>();
        for (var i = 0; i < 101; i++)
        {
            var sw = Stopwatch.StartNew();
            await operation();
            timings.Add(sw.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        return $"median {timings[50]:0.00} ms, p95 {timings[95]:0.00} ms";
    }

    private void Report(string what, long count, TimeSpan elapsed, string target) =>
        stdout.WriteLine($"{what,-60} {count / elapsed.TotalSeconds,12:N0} entries/s ({count:N0} in {elapsed.TotalSeconds:0.00} s)   target {target}");

    /// <summary>The ledger's services on the benchmark's database, with a signing key of its own in the folder.</summary>
    internal static ServiceProvider LedgerServices(string folder, string database) => new ServiceCollection()
        .AddSingleton(TimeProvider.System)
        .AddAudit(o =>
        {
            o.Database = database;
            o.Checkpoints.SigningKeyFile = Path.Combine(folder, "bench-key.pem");
            o.Checkpoints.PublicKeysDirectory = Path.Combine(folder, "bench-keys");
        })
        .BuildServiceProvider();

    private static async IAsyncEnumerable<AuditEntryDraft> Drafts(int start, int count)
    {
        for (var i = start; i < start + count; i++) yield return Draft(i, $"actor_{i % 100}");
        await Task.CompletedTask;
    }

    // About 300 bytes per row, like the measured SQLite bounds in STACK-NOTES.
    private static AuditEntryDraft Draft(int i, string actor) => new(
        i % 7 == 0 ? "DEPLOY" : "UPDATE", actor, "model", $"model_{i % 500}",
        $$$"""{"step":{{{i}}},"config":{"threshold":0.85,"window":"7d"},"metrics":{"auc":0.92,"ks":0.45}}""",
        i % 3 == 0 ? """{"reason":"scheduled retrain","ticket":"OPS-1234"}""" : null);
}

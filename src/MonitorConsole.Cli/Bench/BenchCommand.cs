using System.CommandLine;

namespace MonitorConsole.Cli.Bench;

/// <summary>`bench audit`: measures the ledger targets on a fresh SQLite file, or the empty database --db names (docs/performance.md).</summary>
public static class BenchCommand
{
    public static Command Build(TextWriter stdout)
    {
        var bench = new Command("bench", "Benchmarks (figures go to docs/performance.md)");
        var entries = new Option<int>("--entries") { Description = "Ledger size (default 1,000,000)", DefaultValueFactory = _ => 1_000_000 };
        var folder = new Option<DirectoryInfo?>("--dir") { Description = "Folder for the benchmark database (default: a temp folder)" };
        var audit = new Command("audit", "Batch and concurrent append, verify, export, trail page, rollback") { entries, folder };
        audit.SetAction(async (parse, ct) =>
        {
            var size = parse.GetValue(entries);
            if (size < 1000) throw new ArgumentException("--entries: at least 1000");
            var dir = parse.GetValue(folder)?.FullName ?? Path.Combine(Path.GetTempPath(), "mc-bench-" + Guid.NewGuid().ToString("N"));
            // --db names an empty server database to measure instead of a fresh SQLite file.
            await new AuditBenchmark(stdout, dir, size, parse.GetValue(CliApp.DatabaseOption)).RunAsync(ct);
            return CliApp.Ok;
        });
        bench.Subcommands.Add(audit);

        var rows = new Option<int>("--rows") { Description = "Current rows (default 1,000,000)", DefaultValueFactory = _ => 1_000_000 };
        var features = new Option<int>("--features") { Description = "Numeric features (default 20)", DefaultValueFactory = _ => 20 };
        var drift = new Command("drift", "Binned metrics per value and a full drift report") { rows, features };
        drift.SetAction(parse =>
        {
            new DriftBenchmark(stdout, parse.GetValue(rows), parse.GetValue(features)).Run();
            return CliApp.Ok;
        });
        bench.Subcommands.Add(drift);

        var ingestRows = new Option<int>("--rows") { Description = "Rows posted (default 1,000,000)", DefaultValueFactory = _ => 1_000_000 };
        var ingestFeatures = new Option<int>("--features") { Description = "Numeric features (default 20)", DefaultValueFactory = _ => 20 };
        var ingestFolder = new Option<DirectoryInfo?>("--dir") { Description = "Folder for the CSV and database (default: a temp folder)" };
        var ingestBatches = new Option<int>("--batches")
        {
            Description = "Times the CSV is posted before the run: 10 makes a 10,000,000-row window (default 1)",
            DefaultValueFactory = _ => 1,
        };
        var ingest = new Command("drift-ingest", "CSV observations over HTTP (Kestrel on loopback), a run over the stored window, resident memory")
        {
            ingestRows, ingestFeatures, ingestFolder, ingestBatches,
        };
        ingest.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(ingestFolder)?.FullName ?? Path.Combine(Path.GetTempPath(), "mc-bench-" + Guid.NewGuid().ToString("N"));
            await new DriftIngestBenchmark(stdout, parse.GetValue(ingestRows), parse.GetValue(ingestFeatures), dir)
            {
                Batches = Math.Max(1, parse.GetValue(ingestBatches)),
            }.RunAsync(ct);
            return CliApp.Ok;
        });
        bench.Subcommands.Add(ingest);

        var evidenceEntries = new Option<int>("--entries") { Description = "Ledger size (default 1,000,000)", DefaultValueFactory = _ => 1_000_000 };
        var packEntries = new Option<int>("--pack") { Description = "Entries in the large pack (default 100,000, the default limit)", DefaultValueFactory = _ => 100_000 };
        var evidenceFolder = new Option<DirectoryInfo?>("--dir") { Description = "Folder for the database and packs (default: a temp folder)" };
        var evidence = new Command("evidence", "Evidence packs at the largest allowed size and a typical one, scattered over the chain; offline verification")
        {
            evidenceEntries, packEntries, evidenceFolder,
        };
        evidence.SetAction(async (parse, ct) =>
        {
            var size = parse.GetValue(evidenceEntries);
            var pack = parse.GetValue(packEntries);
            if (size < 10_000 || pack < 1 || pack > size / 2) throw new ArgumentException("--entries: at least 10,000; --pack: between 1 and half of --entries");
            var dir = parse.GetValue(evidenceFolder)?.FullName ?? Path.Combine(Path.GetTempPath(), "mc-bench-" + Guid.NewGuid().ToString("N"));
            await new EvidenceBenchmark(stdout, dir, size, pack).RunAsync(ct);
            return CliApp.Ok;
        });
        bench.Subcommands.Add(evidence);
        return bench;
    }
}

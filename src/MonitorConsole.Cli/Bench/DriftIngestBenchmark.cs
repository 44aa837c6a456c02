using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Monitoring;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;

namespace MonitorConsole.Cli.Bench;

/// <summary>
/// The production-volume targets (issue #12 point 6): a CSV of rows × numeric features posted over HTTP to a Kestrel
/// socket on loopback, whose endpoint calls the same <see cref="ObservationService.IngestCsvAsync"/> as the console's
/// POST /api/models/{id}/observations (without the console's sign-in and rate-limit middleware), stored in a fresh
/// SQLite file; then one scheduled run over that window, and this process's resident memory.
/// </summary>
internal sealed class DriftIngestBenchmark(TextWriter stdout, int rows, int features, string folder)
{
    /// <summary>How many times the CSV is posted (one batch each) before the run.</summary>
    public int Batches { get; init; } = 1;

    public async Task RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(folder);
        var csvPath = Path.Combine(folder, "observations.csv");
        WriteCsv(csvPath, rows, features, shift: 0.2, seed: 7);
        stdout.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {rows:N0} rows × {features} numeric features, " +
            $"CSV {new FileInfo(csvPath).Length / 1024.0 / 1024.0:0} MiB");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Limits.MaxRequestBodySize = ObservationService.MaxCsvBytes).UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(TimeProvider.System)
            .AddAudit(o => o.Database = $"sqlite:///{Path.Combine(folder, "console.db")}")
            .AddMonitoring(withScheduler: false);
        await using var app = builder.Build();
        var caller = Caller.System("bench");
        app.MapPost("/api/models/{id}/observations", async (string id, HttpRequest request, ObservationService observations, CancellationToken token) =>
            Results.Ok(await observations.IngestCsvAsync(caller, id, request.Body, token)));
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var models = app.Services.GetRequiredService<ModelConfigService>();
        await models.ConfigureAsync(caller, new ModelConfigInput { ModelId = "bench", ModelVersion = "1", Schedule = ScheduleKind.Daily }, ct);
        var baselinePath = Path.Combine(folder, "baseline.csv");
        WriteCsv(baselinePath, 100_000, features, shift: 0, seed: 1);
        await using (var baseline = File.OpenRead(baselinePath)) await models.ReplaceBaselineAsync(caller, "bench", baseline, ct);
        var runner = app.Services.GetRequiredService<DriftRunner>();

        // The first ingest prepares the model's baseline (once per configuration); that is not what is measured.
        await app.Services.GetRequiredService<BaselineCache>().FindAsync((await models.GetAsync("bench", ct))!, ct);
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(30) };
        for (var batch = 1; batch <= Batches; batch++)
        {
            // CPU time beside wall time: on a shared machine the wall clock also measures the neighbours.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            await using (var file = new FileStream(csvPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan))
            {
                using var content = new StreamContent(file, 1 << 20);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
                using var response = await client.PostAsync("api/models/bench/observations", content, ct);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ingest: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
            var ingest = sw.Elapsed;
            var ingestCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            stdout.WriteLine($"{$"ingest over HTTP (CSV, batch {batch})",-46} {rows / ingest.TotalSeconds,10:N0} rows/s ({ingest.TotalSeconds:0.00} s, CPU {ingestCpu.TotalSeconds:0.00} s client and server)   target ≥ 400,000 rows/s");
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var peakBefore = ResetPeakResidentMemory();
        var runStartCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var runClock = Stopwatch.StartNew();
        var run = await runner.RunScheduledAsync("bench", null, ct);
        var runTime = runClock.Elapsed;
        if (run.Status != RunStatus.Completed) throw new InvalidOperationException($"run {run.Status}: {run.ErrorMessage}");
        var runCpu = Process.GetCurrentProcess().TotalProcessorTime - runStartCpu;
        using (var during = Process.GetCurrentProcess())
            stdout.WriteLine($"{$"run over the stored window ({(long)rows * Batches:N0} rows)",-46} {runTime.TotalSeconds,10:0.00} s (CPU {runCpu.TotalSeconds:0.00} s, " +
                $"peak resident {(peakBefore ? $"during the run {during.PeakWorkingSet64 / 1048576.0:0} MiB" : "not measured")})   target ≤ 3 s for 1,000,000 rows ({run.AlertLevel})");

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        stdout.WriteLine($"{"resident memory after the run (after a GC)",-46} {process.WorkingSet64 / 1048576.0,10:0} MiB   target ≤ 800 MiB");
        stdout.WriteLine($"{"peak resident memory of the process",-46} {process.PeakWorkingSet64 / 1048576.0,10:0} MiB");
        await app.StopAsync(ct);
    }

    /// <summary>
    /// Linux keeps a process's peak resident size; writing 5 to clear_refs resets it, so the peak read after the run is
    /// the run's own. False where that is not possible.
    /// </summary>
    internal static bool ResetPeakResidentMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Normal values (mean shifted by <paramref name="shift"/> on every fourth feature), six decimals.</summary>
    public static void WriteCsv(string path, int rows, int features, double shift, int seed)
    {
        var random = new Random(seed);
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false), 1 << 20);
        writer.WriteLine(string.Join(',', Enumerable.Range(0, features).Select(f => $"f{f}")));
        Span<char> number = stackalloc char[32];
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < features; f++)
            {
                if (f > 0) writer.Write(',');
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                var v = (f % 4 == 0 ? shift : 0) + Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                v.TryFormat(number, out var n, "0.######", CultureInfo.InvariantCulture);
                writer.Write(number[..n]);
            }
            writer.Write('\n');
        }
    }
}

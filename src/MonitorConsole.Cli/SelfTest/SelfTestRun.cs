using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Monitoring;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>
/// The conformance checks, in order, through the ledger's own services on the scratch space. A check that fails does
/// not stop the others (each measures from the state it finds), except that nothing runs without the schema. Tamper
/// detection runs last because it leaves the scratch chain broken on purpose.
/// </summary>
public sealed partial class SelfTestRun(ScratchSpace scratch, TimeProvider clock, Func<CheckResult, Task> reported)
{
    public const int BatchEntries = 500;
    public const int Writers = 4;
    public const int EntriesPerWriter = 250;

    /// <summary>Appends each writer keeps in flight at once, so its own group commit is exercised too.</summary>
    private const int InFlightPerWriter = 5;

    private const int RolledBackEntries = 10;

    private readonly List<CheckResult> _results = [];
    private MonitorConsole.Audit.Checkpoints.Checkpoint? _checkpoint;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken ct)
    {
        await using var services = Services(scratch.Database);
        var migrated = await CheckAsync("migrate", () => MigrateAsync(services, ct), ct);
        (string Name, Func<Task<string>> Check)[] rest =
        [
            ("append", () => AppendAsync(services, ct)),
            ("concurrent writers", () => ConcurrentWritersAsync(services, ct)),
            ("verify", () => VerifyAsync(services, ct)),
            ("append-only", () => AppendOnlyAsync(ct)),
            ("rollback", () => RollbackAsync(services, ct)),
            ("checkpoint", () => CheckpointAsync(services, ct)),
            ("export", () => ExportAsync(services, ct)),
            ("tamper detection", () => TamperDetectionAsync(services, ct)),
        ];
        foreach (var (name, check) in rest)
        {
            if (migrated.Status == CheckStatus.Pass) await CheckAsync(name, check, ct);
            else await AddAsync(new CheckResult(name, CheckStatus.Skip, "needs the ledger's schema, and migrate failed", 0));
        }
        return _results;
    }

    /// <summary>The console's services (no scheduler) on <paramref name="database"/>, keys in the scratch folder.</summary>
    private ServiceProvider Services(string database) =>
        new ServiceCollection()
            .AddSingleton(clock)
            .AddAudit(o =>
            {
                o.Database = database;
                o.Checkpoints.SigningKeyFile = Path.Combine(scratch.Files, "keys", "checkpoint-signing-key.pem");
                o.Checkpoints.PublicKeysDirectory = Path.Combine(scratch.Files, "keys", "trusted");
                o.Checkpoints.Directory = null;
            })
            .AddMonitoring(withScheduler: false)
            .BuildServiceProvider();

    private async Task<CheckResult> CheckAsync(string name, Func<Task<string>> check, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        string status, detail;
        try
        {
            detail = await check();
            status = CheckStatus.Pass;
        }
        catch (CheckSkippedException e)
        {
            (status, detail) = (CheckStatus.Skip, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A conformance run reports whatever the database threw as that check's failure, and goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            status = CheckStatus.Fail;
            detail = e is CheckFailedException ? e.Message : $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}";
        }
        var result = new CheckResult(name, status, detail, Math.Round(clock.GetElapsedTime(started).TotalSeconds, 3));
        await AddAsync(result);
        return result;
    }

    private async Task AddAsync(CheckResult result)
    {
        _results.Add(result);
        await reported(result);
    }

    private static async Task<string> MigrateAsync(ServiceProvider services, CancellationToken ct)
    {
        var audit = services.GetRequiredService<AuditDatabase>();
        var access = services.GetRequiredService<AccessDatabase>();
        var monitoring = services.GetRequiredService<MonitoringDatabase>();
        await audit.EnsureInitializedAsync(ct);
        await access.EnsureInitializedAsync(ct);
        await monitoring.EnsureInitializedAsync(ct);
        int ledger, accounts, models;
        await using (var db = await audit.CreateDbContextAsync(ct)) ledger = await PendingCheckedAsync(db, "ledger", ct);
        await using (var db = await access.CreateDbContextAsync(ct)) accounts = await PendingCheckedAsync(db, "access", ct);
        await using (var db = await monitoring.CreateDbContextAsync(ct)) models = await PendingCheckedAsync(db, "monitoring", ct);
        await using (var db = await audit.CreateDbContextAsync(ct))
        {
            if (await db.Entries.AnyAsync(ct)) throw new CheckFailedException("the new scratch ledger is not empty");
        }
        return $"schema created: ledger {ledger}, access {accounts}, monitoring {models} migrations";
    }

    private static async Task<int> PendingCheckedAsync(DbContext db, string module, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0) throw new CheckFailedException($"{module}: migrations not applied: {string.Join(", ", pending)}");
        return (await db.Database.GetAppliedMigrationsAsync(ct)).Count();
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

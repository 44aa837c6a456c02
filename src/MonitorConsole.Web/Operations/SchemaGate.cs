using Microsoft.Extensions.Options;
using MonitorConsole.Audit;
using MonitorConsole.Monitoring.Operations;

namespace MonitorConsole.Web.Operations;

/// <summary>
/// Before anything else starts: with Audit:MigrateOnStartup (the default) the schema is brought up to date; without it
/// (production deploys that run `monitorconsole migrate` first) a schema that is behind stops the start with a message
/// naming the command, instead of failing later on a missing table.
/// </summary>
internal sealed partial class SchemaGate(DatabaseSchema schema, IOptions<AuditOptions> audit, ILogger<SchemaGate> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken ct)
    {
        if (audit.Value.MigrateOnStartup)
        {
            // Each module also migrates as it first opens the database; doing it here makes a failure stop the start.
            await schema.MigrateAsync(ct);
            LogReady(logger);
            return;
        }
        var pending = await schema.PendingAsync(ct);
        if (pending.Count == 0) return;
        throw new InvalidOperationException(
            $"The database schema is behind this version of the console: {pending.Count} migration(s) pending " +
            $"({string.Join(", ", pending.Select(m => $"{m.Module} {m.Migration}"))}). Apply them with " +
            "`monitorconsole migrate --db <this database>` and start again, or set Audit:MigrateOnStartup=true.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema up to date (Audit:MigrateOnStartup applies migrations at start)")]
    private static partial void LogReady(ILogger logger);

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken ct) => Task.CompletedTask;
}

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Monitoring;
using MonitorConsole.Monitoring.Operations;

namespace MonitorConsole.Cli;

/// <summary>
/// `migrate`: applies every module's pending migrations and prints them — the deploy step when the web host runs with
/// Audit:MigrateOnStartup=false.
/// </summary>
public static class MigrateCommand
{
    public static Command Build(TextWriter stdout)
    {
        var check = new Option<bool>("--check") { Description = "Only list the pending migrations; exit 1 when there are any" };
        var command = new Command("migrate", "Bring the database's schema up to this version (all modules), printing what was applied") { check };
        command.SetAction(async (parse, ct) =>
        {
            // Nothing migrates on first use here: this verb says what it applies.
            await using var services = new ServiceCollection()
                .AddSingleton(TimeProvider.System)
                .AddAudit(o =>
                {
                    o.Database = parse.GetValue(CliApp.DatabaseOption);
                    o.MigrateOnStartup = false;
                })
                .AddMonitoring(withScheduler: false)
                .BuildServiceProvider();
            var schema = services.GetRequiredService<DatabaseSchema>();
            if (parse.GetValue(check))
            {
                var pending = await schema.PendingAsync(ct);
                foreach (var m in pending) await stdout.WriteLineAsync($"pending: {m.Module} {m.Migration}");
                await stdout.WriteLineAsync(pending.Count == 0 ? "the schema is up to date" : $"{pending.Count} migration(s) pending");
                return pending.Count == 0 ? CliApp.Ok : CliApp.MigrationsPending;
            }
            var applied = await schema.MigrateAsync(ct);
            foreach (var m in applied) await stdout.WriteLineAsync($"applied: {m.Module} {m.Migration}");
            await stdout.WriteLineAsync(applied.Count == 0 ? "the schema was already up to date" : $"{applied.Count} migration(s) applied");
            return CliApp.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Cli.Audit;
using MonitorConsole.Cli.Bench;
using MonitorConsole.Cli.Drift;
using MonitorConsole.Cli.SelfTest;
using MonitorConsole.Drift;
using MonitorConsole.Monitoring;
using MonitorConsole.Access;

namespace MonitorConsole.Cli;

/// <summary>
/// Exit codes: 0 valid/done, 1 tampering found (or, for verify-export, not the complete chain), 2 bad usage or error
/// (one line on stderr), 3 verify-export --trail: every entry holds on its own, completeness not proven.
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int TamperingFound = 1;

    /// <summary>`migrate --check`: the schema is behind (the same 1 a deploy script tests for "something to do").</summary>
    public const int MigrationsPending = 1;
    public const int Failed = 2;
    public const int EntriesValidCompletenessNotProven = 3;

    /// <summary>`verify-evidence`: nothing failed, but no trusted key vouched for the signer (the same 3: "holds, not proven").</summary>
    public const int ValidButNotVouched = 3;

    public static readonly Option<string?> DatabaseOption = new("--db")
    {
        Description = "Database URL or connection string (default: AUDIT_DB_URL, else data/audit.db)",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader? stdin = null, CancellationToken ct = default)
    {
        var root = new RootCommand("MonitorConsole: tamper-evident audit ledger and drift monitoring");
        root.Options.Add(DatabaseOption);
        root.Subcommands.Add(AuditCommands.Build(stdout));
        root.Subcommands.Add(DriftCommands.Build(stdout));
        root.Subcommands.Add(DemoCommand.Build(stdout));
        root.Subcommands.Add(BenchCommand.Build(stdout));
        root.Subcommands.Add(SelfTestCommand.Build(stdout, stderr));
        root.Subcommands.Add(MigrateCommand.Build(stdout));
        foreach (var command in AccessCommands.Build(stdout, stdin ?? Console.In)) root.Subcommands.Add(command);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"error: {parse.Errors[0].Message} (see --help)");
            return Failed;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                // Signals are turned into cancellation by Program (see there), so System.CommandLine does not hook them too.
                ProcessTerminationTimeout = null,
            }, ct);
        }
        catch (Exception ex) when (ex is AuditValidationException or AuditOperationException or DriftInputException or IOException
                                       or UnauthorizedAccessException or FormatException or ArgumentException
                                       or Microsoft.Data.Sqlite.SqliteException or System.Text.Json.JsonException)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}");
            return Failed;
        }
        catch (Exception ex) when (ex is InputException or ModelNotFoundException or AccessDeniedException)
        {
            await stderr.WriteLineAsync($"error: {OneLine(ex.Message)}");
            return Failed;
        }
    }

    /// <summary>The console's services (no scheduler) for the database chosen by --db, AUDIT_DB_URL or the default file.</summary>
    public static ServiceProvider Services(ParseResult parse, Action<AuditOptions>? configure = null) =>
        new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddAudit(o =>
            {
                o.Database = parse.GetValue(DatabaseOption);
                configure?.Invoke(o);
            })
            .AddMonitoring(withScheduler: false)
            .BuildServiceProvider();

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}

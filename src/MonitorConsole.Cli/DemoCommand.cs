using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Monitoring.Demo;

namespace MonitorConsole.Cli;

/// <summary>`demo seed`: fills an empty console with a realistic ledger, three models and weeks of run history.</summary>
public static class DemoCommand
{
    public static Command Build(TextWriter stdout)
    {
        var demo = new Command("demo", "Demo data for a first look");
        var seed = new Command("seed", "Fill an empty console with demo data (refused when anything is there)");
        seed.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var summary = await services.GetRequiredService<DemoData>().SeedAsync(ct);
            await stdout.WriteLineAsync($"seeded {summary.LedgerEntries:N0} ledger entries, {summary.Models} models, {summary.Runs} runs ({summary.Alerts} alerts)");
            return CliApp.Ok;
        });
        demo.Subcommands.Add(seed);
        return demo;
    }
}

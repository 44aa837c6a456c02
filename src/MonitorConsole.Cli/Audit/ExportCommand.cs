using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Export;

namespace MonitorConsole.Cli.Audit;

public static class ExportCommand
{
    public static Command Build(TextWriter stdout)
    {
        var trail = new TrailOptions();
        var format = new Option<string>("--format") { Required = true, Description = "json or csv" };
        format.AcceptOnlyFromAmong("json", "csv");
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file (default: standard output)" };
        var command = new Command("export", "Export the whole chain, or a trail with the filter options") { format, output };
        trail.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var exportFormat = parse.GetValue(format) == "csv" ? ExportFormat.Csv : ExportFormat.Json;
            var filter = trail.AnySet(parse) ? trail.Filter(parse) : null;
            await using var services = CliApp.Services(parse);
            var exporter = services.GetRequiredService<AuditExporter>();
            if (parse.GetValue(output) is { } file)
            {
                // Written to a temporary name first, so a failed export never leaves a half file under the real name.
                var temporary = file.FullName + ".partial";
                long count;
                await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                    count = await exporter.ExportAsync(stream, exportFormat, filter, ct);
                File.Move(temporary, file.FullName, overwrite: true);
                await stdout.WriteLineAsync($"exported {count} entries to {file.FullName}");
            }
            else
            {
                await stdout.FlushAsync(ct);
                await using var stream = Console.OpenStandardOutput();
                await exporter.ExportAsync(stream, exportFormat, filter, ct);
            }
            return CliApp.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;

namespace MonitorConsole.Cli.Audit;

/// <summary>`audit import FILE.jsonl`: one entry object per line, appended in one transaction.</summary>
public static class ImportCommand
{
    public static Command Build(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "JSON Lines: {\"action\",\"actor\",\"resource_type\",\"resource_id\",\"data\",\"details\"} per line" };
        var batchSize = new Option<int?>("--batch-size")
        {
            Description = "Commit every N entries instead of all-or-nothing (for very large files or shared writers)",
        };
        var command = new Command("import", "Append every entry of a JSON Lines file; all or nothing by default") { file, batchSize };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new IOException($"FILE: {path.FullName} does not exist");
            if (parse.GetValue(batchSize) is <= 0) throw new AuditValidationException("batch-size", "must be a positive number");
            await using var services = CliApp.Services(parse);
            var writer = services.GetRequiredService<AuditWriter>();
            long count = 0;
            if (parse.GetValue(batchSize) is { } size)
            {
                var batch = new List<AuditEntryDraft>(size);
                await foreach (var draft in ReadAsync(path.FullName, ct))
                {
                    batch.Add(draft);
                    if (batch.Count < size) continue;
                    count += (await writer.AppendBatchAsync(batch, ct)).Count;
                    batch.Clear();
                }
                if (batch.Count > 0) count += (await writer.AppendBatchAsync(batch, ct)).Count;
            }
            else
            {
                count = await writer.AppendStreamAsync(ReadAsync(path.FullName, ct), ct);
            }
            await stdout.WriteLineAsync($"imported {count} entries");
            return CliApp.Ok;
        });
        return command;
    }

    public static async IAsyncEnumerable<AuditEntryDraft> ReadAsync(string path, [EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true));
        var lineNumber = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            yield return Parse(line, lineNumber);
        }
    }

    private static AuditEntryDraft Parse(string line, int lineNumber)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return AuditEntryDraft.FromJson(doc.RootElement, $"line {lineNumber}");
        }
        catch (JsonException ex)
        {
            throw new AuditValidationException($"line {lineNumber}", $"is not valid JSON ({ex.Message})");
        }
    }
}

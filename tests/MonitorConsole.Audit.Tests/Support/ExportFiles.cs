using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests.Support;

/// <summary>Export files for the tests: written from a ledger, or made by hand to say whatever a forger wants.</summary>
internal static class ExportFiles
{
    internal static async Task<string> WriteAsync(LedgerFixture ledger, string name, string content)
    {
        var path = Path.Combine(ledger.Folder, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    internal static string ExportText(string scope, params string[] entries) =>
        $$"""{"format":"monitorconsole.audit.v1","scope":"{{scope}}","entries":[{{string.Join(',', entries)}}]}""";

    /// <summary>A self-consistent entry whose previous_hash claims an entry that is not in the file.</summary>
    internal static string Entry(long sequence, string timestamp, string? previousHash = null)
    {
        var id = $"0190a5b2-7c3d-7e4f-8a1b-{sequence:x12}";
        const string data = "{}";
        var dataHash = HashSpec.ComputeDataHash(data);
        var previous = previousHash ?? (sequence == 1 ? HashSpec.GenesisHash : HashSpec.ComputeDataHash($"entry {sequence - 1}"));
        var entryHash = HashSpec.ComputeEntryHash(sequence, id, timestamp, "UPDATE", "alice", "model", null, dataHash, null, previous);
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["sequence"] = sequence, ["entry_id"] = id, ["timestamp"] = timestamp, ["action"] = "UPDATE", ["actor"] = "alice",
            ["resource_type"] = "model", ["resource_id"] = null, ["data"] = data, ["details"] = null, ["data_hash"] = dataHash,
            ["previous_hash"] = previous, ["entry_hash"] = entryHash,
        });
    }

    /// <summary>The export's text, without the CSV's byte order mark (ExportStreamingTests checks that it is there).</summary>
    internal static async Task<string> ExportAsync(LedgerFixture ledger, ExportFormat format, TrailFilter? filter = null)
    {
        using var buffer = new MemoryStream();
        await ledger.Exporter.ExportAsync(buffer, format, filter);
        var bytes = buffer.ToArray().AsSpan();
        return Encoding.UTF8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
    }
}

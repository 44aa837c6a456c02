using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// manifest.json: what the pack holds, who made it and when, for programs. Like the report it is the pack's word
/// about itself, covered by SHA256SUMS and the zip's recorded SHA-256 but by no signature; the checks never rely on it.
/// </summary>
public static class EvidenceManifest
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(EvidenceReport report, TrailFilter scope, string? pdfNotMade, IReadOnlyList<EvidenceFile> files)
    {
        var filter = new JsonObject();
        foreach (var (name, value) in new (string, string?)[]
                 {
                     ("actor", scope.Actor), ("action", scope.Action), ("resource_type", scope.ResourceType),
                     ("resource_id", scope.ResourceId), ("from", scope.From is { } f ? HashSpec.FormatTimestamp(f) : null),
                     ("to", scope.To is { } t ? HashSpec.FormatTimestamp(t) : null), ("q", scope.Text),
                 })
            if (value is not null) filter[name] = value;
        filter["include_rolled_back"] = scope.IncludeRolledBack;
        filter["through_sequence"] = scope.ThroughSequence;
        var c = report.Counts;
        var manifest = new JsonObject
        {
            ["format"] = EvidencePackFiles.Format,
            ["made_at"] = HashSpec.FormatTimestamp(report.MadeAtUtc),
            ["made_by"] = report.MadeBy,
            ["scope"] = scope.IsWholeChain ? "chain" : "trail",
            ["filter"] = filter,
            ["entries_in_scope"] = c.EntriesInScope,
            ["erasure_records_added"] = c.ErasureRecordsAdded,
            ["erased_entries"] = c.ErasedEntries,
            ["rolled_back_entries"] = c.RolledBackEntries,
            ["first_sequence"] = c.FirstSequence,
            ["last_sequence"] = c.LastSequence,
            ["checkpoint"] = new JsonObject
            {
                ["tree_size"] = report.Checkpoint.TreeSize,
                ["timestamp"] = report.Checkpoint.Timestamp,
                ["merkle_root"] = report.Checkpoint.MerkleRoot,
                ["key_id"] = report.Checkpoint.KeyId,
                ["made_for_this_pack"] = report.Checkpoint.MadeForThisPack,
                ["anchor"] = report.Checkpoint.Anchor,
            },
            ["checks"] = new JsonArray([.. report.Checks.Select(k => (JsonNode)new JsonObject
            {
                ["title"] = k.Title,
                ["outcome"] = k.Outcome switch { EvidenceCheckOutcome.Passed => "passed", EvidenceCheckOutcome.Failed => "failed", _ => "not_checked" },
                ["detail"] = k.Detail,
            })]),
            ["report_pdf"] = pdfNotMade is null ? EvidencePackFiles.ReportPdf : $"not made: {pdfNotMade}",
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["bytes"] = f.Bytes, ["sha256"] = f.Sha256 })]),
        };
        return manifest.ToJsonString(Indented) + "\n";
    }
}

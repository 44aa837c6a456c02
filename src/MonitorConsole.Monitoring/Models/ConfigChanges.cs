using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Audit;

namespace MonitorConsole.Monitoring.Models;

/// <summary>
/// What a change to a model did, field by field, so that the ledger entry answers "what changed" without an auditor
/// comparing two snapshots: <c>{"psi_critical": {"before": 0.25, "after": 0.3}}</c>, nested fields by their path
/// (<c>thresholds.psi_critical</c>). Lists are compared whole.
/// </summary>
internal static class ConfigChanges
{
    // Bookkeeping that changes on every save; saying so would bury the real changes.
    private static readonly HashSet<string> Ignored = ["updated_at", "created_at", "has_baseline"];

    /// <summary>The entry's data: the configuration as saved, plus <c>changes</c> (before → after) when there was a before.</summary>
    public static JsonObject Describe(ModelConfigView after, ModelConfigView? before)
    {
        var saved = Node(after);
        if (before is null) return saved;
        var changes = new JsonObject();
        Compare(Node(before), saved, "", changes);
        saved["changes"] = changes;
        return saved;
    }

    private static JsonObject Node(ModelConfigView view) =>
        JsonSerializer.SerializeToNode(view, LedgerJson.Options)!.AsObject();

    private static void Compare(JsonObject before, JsonObject after, string prefix, JsonObject changes)
    {
        foreach (var name in before.Select(p => p.Key).Union(after.Select(p => p.Key)).Where(n => !Ignored.Contains(n)))
        {
            var (old, now) = (before[name], after[name]);
            if (old is JsonObject oldObject && now is JsonObject newObject)
            {
                Compare(oldObject, newObject, $"{prefix}{name}.", changes);
                continue;
            }
            if (JsonNode.DeepEquals(old, now)) continue;
            changes[prefix + name] = new JsonObject { ["before"] = old?.DeepClone(), ["after"] = now?.DeepClone() };
        }
    }
}

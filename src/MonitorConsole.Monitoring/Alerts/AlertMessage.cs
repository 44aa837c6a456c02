using System.Text.Json;
using System.Text.Json.Nodes;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>What an alert says, read from the saved run, and its body for each channel.</summary>
public sealed record AlertMessage(string ModelId, string ModelVersion, string CheckId, string Level, IReadOnlyList<string> DriftedFeatures,
    int? FeaturesMonitored, JsonObject Summary)
{
    public const string OutputFeature = "(output)";

    public static AlertMessage Of(DriftRun run)
    {
        var summary = JsonNode.Parse(run.MetricsJson) as JsonObject ?? [];
        var drifted = new List<string>();
        if (summary["features"] is JsonObject features)
            foreach (var (name, value) in features)
                if (value?["alert_level"]?.GetValue<string>() is { } level && level != "NORMAL") drifted.Add(name);
        if (summary["output_drift"] is JsonValue output && output.GetValue<string>() != "NORMAL") drifted.Add(OutputFeature);
        drifted.Sort(StringComparer.Ordinal);
        var monitored = summary["features_monitored"] is JsonValue count && count.TryGetValue<int>(out var n) ? n : (int?)null;
        return new AlertMessage(run.ModelId, run.ModelVersion, run.CheckId, run.AlertLevel ?? "", drifted, monitored, summary);
    }

    public string Text =>
        $"Drift {Level} on model {ModelId} {ModelVersion} (check {CheckId}): " +
        $"{DriftedFeatures.Count(f => f != OutputFeature)} of {FeaturesMonitored?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} features drifted" +
        (DriftedFeatures.Count > 0 ? $" ({string.Join(", ", DriftedFeatures)})" : "");

    /// <summary>The body stored in the outbox for the channel.</summary>
    public string Render(string channel) => channel switch
    {
        AlertChannel.Slack => Slack(),
        AlertChannel.Teams => Teams(),
        AlertChannel.Email => JsonSerializer.Serialize(new EmailBody($"[MonitorConsole] Drift {Level} on {ModelId} {ModelVersion}", EmailText())),
        _ => Generic(),
    };

    /// <summary>The run summary as before, with a one-line <c>text</c> for receivers that show only that.</summary>
    private string Generic()
    {
        var body = (JsonObject)Summary.DeepClone();
        body["text"] = Text;
        return body.ToJsonString();
    }

    /// <summary>Slack incoming webhook: <c>text</c> as the notification fallback, <c>blocks</c> for the message.</summary>
    private string Slack() => new JsonObject
    {
        ["text"] = Text,
        ["blocks"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*Drift {Level}* on model `{ModelId}` {ModelVersion}" },
            },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray([.. Facts().Select(f => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{f.Title}*\n{f.Value}" })]),
            }),
    }.ToJsonString();

    /// <summary>Teams (incoming webhook or Workflows): an Adaptive Card in the message attachments envelope.</summary>
    private string Teams() => new JsonObject
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                ["type"] = "AdaptiveCard",
                ["version"] = "1.4",
                ["body"] = new JsonArray(
                    new JsonObject { ["type"] = "TextBlock", ["text"] = $"Drift {Level} on model {ModelId} {ModelVersion}", ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
                    new JsonObject
                    {
                        ["type"] = "FactSet",
                        ["facts"] = new JsonArray([.. Facts().Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value })]),
                    }),
            },
        }),
    }.ToJsonString();

    private string EmailText() =>
        Text + "\n\n" + string.Join("\n", Facts().Select(f => $"{f.Title}: {f.Value}")) + "\n";

    private IEnumerable<(string Title, string Value)> Facts()
    {
        yield return ("Level", Level);
        yield return ("Model", $"{ModelId} {ModelVersion}");
        yield return ("Check", CheckId);
        yield return ("Drifted", DriftedFeatures.Count == 0 ? "none (bias or safety)" : string.Join(", ", DriftedFeatures));
        if (Summary["rows"] is JsonValue rows) yield return ("Rows", rows.ToJsonString());
    }
}

/// <summary>An e-mail alert as kept in the outbox.</summary>
public sealed record EmailBody(string Subject, string Text);

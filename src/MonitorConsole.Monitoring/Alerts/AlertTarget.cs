namespace MonitorConsole.Monitoring.Alerts;

/// <summary>The ways an alert goes out.</summary>
public static class AlertChannel
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Teams = "teams";
    public const string Email = "email";
}

/// <summary>
/// One entry of a model's alert list, read as a channel and an address. The rule, in order: <c>mailto:</c> an
/// e-mail address; <c>slack:</c> or <c>teams:</c> before a URL says which payload that URL gets; otherwise a URL on
/// hooks.slack.com is Slack, one on webhook.office.com (or a subdomain of it) or outlook.office.com is Teams, and
/// any other URL is a generic webhook with the JSON summary.
/// </summary>
public sealed record AlertTarget(string Channel, string Address)
{
    private const string MailPrefix = "mailto:";
    private const string SlackPrefix = "slack:";
    private const string TeamsPrefix = "teams:";

    /// <summary>Reads and checks an entry; throws <see cref="MonitoringInputException"/> naming <paramref name="field"/>.</summary>
    public static AlertTarget Parse(string entry, MonitoringOptions options, string field = "webhooks")
    {
        var text = entry.Trim();
        if (text.StartsWith(MailPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var address = text[MailPrefix.Length..].Trim();
            if (!MimeKit.MailboxAddress.TryParse(address, out var mailbox) || mailbox.Address != address || !address.Contains('@', StringComparison.Ordinal))
                throw new MonitoringInputException(field, $"'{entry}' is not one e-mail address (mailto:name@example.com)");
            return new AlertTarget(AlertChannel.Email, address);
        }
        if (text.StartsWith(SlackPrefix, StringComparison.OrdinalIgnoreCase))
            return Url(AlertChannel.Slack, text[SlackPrefix.Length..], options);
        if (text.StartsWith(TeamsPrefix, StringComparison.OrdinalIgnoreCase))
            return Url(AlertChannel.Teams, text[TeamsPrefix.Length..], options);
        var uri = WebhookTargets.Check(text, options);
        return new AlertTarget(ChannelOfHost(uri.IdnHost), text);
    }

    private static AlertTarget Url(string channel, string url, MonitoringOptions options)
    {
        WebhookTargets.Check(url.Trim(), options);
        return new AlertTarget(channel, url.Trim());
    }

    private static string ChannelOfHost(string host)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        if (host == "hooks.slack.com") return AlertChannel.Slack;
        if (host == "webhook.office.com" || host.EndsWith(".webhook.office.com", StringComparison.Ordinal) || host == "outlook.office.com")
            return AlertChannel.Teams;
        return AlertChannel.Webhook;
    }
}

using Microsoft.JSInterop;

namespace MonitorConsole.Web.Components.Shared;

/// <summary>
/// The time zone of the person's browser, read once the circuit is interactive; UTC until then, during prerender, or
/// when the browser names a zone this server does not know.
/// </summary>
public static class BrowserTimeZone
{
    public static async Task<TimeZoneInfo> GetAsync(IJSRuntime js)
    {
        try
        {
            await using var module = await js.InvokeAsync<IJSObjectReference?>("import", "./js/timezone.js");
            var id = module is null ? null : await module.InvokeAsync<string?>("zone");
            return string.IsNullOrWhiteSpace(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? TimeZoneInfo.Utc : zone;
        }
        catch (Exception ex) when (ex is JSException or InvalidOperationException or TaskCanceledException or JSDisconnectedException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>"Europe/Berlin (UTC+01:00)" at the given moment.</summary>
    public static string Describe(TimeZoneInfo zone, DateTimeOffset at)
    {
        var offset = zone.GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return $"{zone.Id} (UTC{sign}{offset.Duration():hh\\:mm})";
    }
}

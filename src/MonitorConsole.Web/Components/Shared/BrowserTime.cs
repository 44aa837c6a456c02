using System.Globalization;
using Microsoft.JSInterop;

namespace MonitorConsole.Web.Components.Shared;

/// <summary>
/// The browser's time zone (IANA id from Intl), so pages show times where their reader is, with the zone named. UTC
/// while the page is prerendered or when the browser's zone is unknown to the server.
/// </summary>
public static class BrowserTime
{
    public static async Task<TimeZoneInfo> ZoneAsync(IJSRuntime js)
    {
        try
        {
            // script-src 'self' allows no eval: the zone comes from a module of our own.
            var module = await js.InvokeAsync<IJSObjectReference?>("import", "./js/time.js");
            if (module is null) return TimeZoneInfo.Utc;
            var id = await module.InvokeAsync<string?>("zone");
            await module.DisposeAsync();
            return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (Exception ex) when (ex is InvalidOperationException or JSException or TaskCanceledException or JSDisconnectedException)
        {
            // Prerendering (no browser yet) or a browser that would not say.
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>A UTC time in the zone, to the second.</summary>
    public static string Format(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>"2026-12-02 07:15:04 Europe/Berlin": to the second, with the zone (UTC when unknown).</summary>
    public static string Text(DateTime utc, TimeZoneInfo? zone) => $"{Format(utc, zone ?? TimeZoneInfo.Utc)} {Label(zone ?? TimeZoneInfo.Utc)}";

    /// <summary>The zone's name as a reader knows it ("Europe/Berlin", "UTC").</summary>
    public static string Label(TimeZoneInfo zone) => zone == TimeZoneInfo.Utc || zone.Id is "Etc/UTC" or "UTC" ? "UTC" : zone.Id;

    /// <summary>"Europe/Berlin (UTC+01:00)" at the given moment.</summary>
    public static string Describe(TimeZoneInfo zone, DateTimeOffset at)
    {
        var offset = zone.GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return $"{Label(zone)} (UTC{sign}{offset.Duration():hh\\:mm})";
    }

    /// <summary>The zone's offset from UTC at a moment, in minutes (for the chart's axis).</summary>
    public static double OffsetMinutes(TimeZoneInfo zone, DateTime utc) => zone.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).TotalMinutes;
}

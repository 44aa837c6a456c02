using System.Globalization;

namespace MonitorConsole.Web.Components.Shared;

/// <summary>Times as the console shows them: to the second, with the zone named.</summary>
public static class Times
{
    public static string Utc(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Utc(DateTimeOffset time) => Utc(time.UtcDateTime);
}

using System.Security.Claims;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Access;

/// <summary>Turns the signed-in principal (a person's cookie or a service's API key) into the services' caller.</summary>
public static class CallerPrincipal
{
    public const string KeyIdClaim = "mc:key_id";
    public const string KeyNameClaim = "mc:key_name";
    public const string ScopeClaim = "mc:scope";
    public const string RequestsPerMinuteClaim = "mc:requests_per_minute";
    public const string MaxBodyBytesClaim = "mc:max_body_bytes";

    public static Caller From(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } identity || string.IsNullOrWhiteSpace(identity.Name)) return Caller.Anonymous;
        if (user.FindFirst(KeyNameClaim) is { } keyName)
            return Caller.ApiKey(keyName.Value, user.FindAll(ScopeClaim).Select(c => c.Value));
        return Caller.User(identity.Name, user.FindAll(ClaimTypes.Role).Select(c => c.Value));
    }

    /// <summary>The caller's console role (the highest one held), for display.</summary>
    public static string? Role(ClaimsPrincipal user) =>
        ConsoleRoles.All.LastOrDefault(r => user.IsInRole(r));
}

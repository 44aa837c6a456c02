using System.ComponentModel;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Api.Contracts;

[Description("The caller: a signed-in person or an API key, and the permissions it holds.")]
public sealed record CallerResponse(
    [property: Description("What the ledger records as the actor (an API key's is key:<name>).")] string Actor,
    CallerKind Kind,
    IReadOnlyList<Permission> Permissions)
{
    public static CallerResponse From(Caller caller) => new(caller.Actor, caller.Kind, [.. caller.Permissions.Order()]);
}

/// <summary>Documents the body POST /api/keys reads by hand.</summary>
[Description("A new API key.")]
public sealed record NewApiKey(
    [property: Description("1–64 letters, digits, '.', '_' or '-'; unique, revoked keys keep theirs.")] string Name,
    [property: Description("At least one of: read, audit:append, observations:write, models:write, runs:trigger.")] IReadOnlyList<string> Scopes,
    [property: Description("The key's request budget per minute, 1 to 100,000; the console's default (600 unless configured) when left out.")] int? RequestsPerMinute = null,
    [property: Description("The largest body the key may send, 1,024 bytes to 1 GiB; the console's default (16 MiB unless configured) when left out.")] long? MaxBodyBytes = null);

/// <summary>Documents the body POST /api/users reads by hand.</summary>
[Description("A new local account.")]
public sealed record NewUser(
    [property: Description("1–64 characters.")] string UserName,
    [property: Description("Auditor, DataScientist or Admin (see docs/security.md).")] string Role,
    string Password);

/// <summary>Documents the body PUT /api/users/{userName}/role reads by hand.</summary>
[Description("The account's new role.")]
public sealed record RoleChange(string Role);

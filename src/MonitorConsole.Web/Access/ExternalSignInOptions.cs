namespace MonitorConsole.Web.Access;

/// <summary>
/// Sign-in through an organisation's OpenID Connect provider, bound from "Access:OpenIdConnect". Off unless Authority
/// and ClientId are set. People signed in this way have no local account: their console role comes from the token's
/// <see cref="RoleClaim"/> values (Auditor, DataScientist, Admin; others are ignored).
/// </summary>
public sealed class ExternalSignInOptions
{
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The claim that carries the console roles. Default: "roles".</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim used as the actor's name in the ledger. Default: "preferred_username".</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>The button's text on the sign-in page. Default: "Sign in with your organisation".</summary>
    public string DisplayName { get; set; } = "Sign in with your organisation";

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

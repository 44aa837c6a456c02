using MonitorConsole.Audit;

namespace MonitorConsole.Access;

public enum CallerKind
{
    /// <summary>A signed-in person.</summary>
    User,

    /// <summary>Another service, through an API key.</summary>
    ApiKey,

    /// <summary>The scheduler, or an operator at the command line with direct access to the database.</summary>
    System,
}

/// <summary>
/// Who is asking and what they may do. Services that change or disclose something take a caller and check it, so a
/// hidden button is never the only guard. <see cref="Actor"/> is what the ledger records.
/// </summary>
public sealed class Caller
{
    private readonly HashSet<Permission> _permissions;

    private Caller(string actor, CallerKind kind, IEnumerable<Permission> permissions)
    {
        if (string.IsNullOrWhiteSpace(actor)) throw new ArgumentException("A caller needs a name.", nameof(actor));
        Actor = actor;
        Kind = kind;
        _permissions = [.. permissions];
    }

    public string Actor { get; }

    public CallerKind Kind { get; }

    public IReadOnlySet<Permission> Permissions => _permissions;

    /// <summary>The actor recorded for an API key: "key:" and the key's name, so it cannot pass for a person.</summary>
    public static string KeyActor(string keyName) => LedgerVocabulary.KeyActorPrefix + keyName;

    public static Caller User(string userName, IEnumerable<string> roles) =>
        new(userName, CallerKind.User, roles.SelectMany(ConsoleRoles.PermissionsOf));

    public static Caller ApiKey(string keyName, IEnumerable<string> scopes) =>
        new(KeyActor(keyName), CallerKind.ApiKey, scopes.SelectMany(ApiKeyScopes.PermissionsOf));

    /// <summary>Trusted in-process callers: the scheduler, and command-line verbs run by whoever holds the database.</summary>
    public static Caller System(string actor) => new(actor, CallerKind.System, Enum.GetValues<Permission>());

    /// <summary>Nobody signed in: may do nothing.</summary>
    public static Caller Anonymous { get; } = new(LedgerVocabulary.AnonymousActor, CallerKind.User, []);

    public bool Can(Permission permission) => _permissions.Contains(permission);

    /// <summary>Throws <see cref="AccessDeniedException"/> unless the caller has the permission.</summary>
    public Caller Require(Permission permission) =>
        Can(permission) ? this : throw new AccessDeniedException(Actor, permission);

    public override string ToString() => $"{Actor} ({Kind})";
}

/// <summary>The caller lacks a permission; nothing was done.</summary>
public sealed class AccessDeniedException(string actor, Permission permission)
    : Exception($"{actor} may not {Describe(permission)}")
{
    public Permission Permission { get; } = permission;

    public static string Describe(Permission permission) => permission switch
    {
        Permission.ReadLedger => "read the audit ledger",
        Permission.VerifyLedger => "verify the ledger",
        Permission.ExportLedger => "export the ledger",
        Permission.AppendAudit => "append audit entries",
        Permission.RollbackLedger => "roll the ledger back",
        Permission.EraseData => "erase an entry's data",
        Permission.ReadMonitoring => "read drift monitoring",
        Permission.ConfigureModels => "configure models",
        Permission.RunChecks => "run drift checks",
        Permission.WriteObservations => "post observations",
        Permission.ManageUsers => "manage users",
        Permission.ManageApiKeys => "manage API keys",
        _ => permission.ToString(),
    };
}

namespace MonitorConsole.Access;

/// <summary>What a caller may do. Roles and API-key scopes are sets of these; services check them.</summary>
public enum Permission
{
    ReadLedger,
    VerifyLedger,
    ExportLedger,
    AppendAudit,
    RollbackLedger,
    EraseData,
    ReadMonitoring,
    ConfigureModels,
    RunChecks,
    WriteObservations,
    ManageUsers,
    ManageApiKeys,
}

/// <summary>The console's three roles, each including the one before it.</summary>
public static class ConsoleRoles
{
    /// <summary>Compliance officer: read trails and run history, verify, export.</summary>
    public const string Auditor = "Auditor";

    /// <summary>Also configures models, uploads baselines, feeds observations and runs checks.</summary>
    public const string DataScientist = "DataScientist";

    /// <summary>Also rolls the ledger back, erases entries' data and manages users and API keys.</summary>
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Auditor, DataScientist, Admin];

    private static readonly Permission[] AuditorPermissions =
        [Permission.ReadLedger, Permission.VerifyLedger, Permission.ExportLedger, Permission.ReadMonitoring];

    private static readonly Permission[] DataScientistPermissions =
        [.. AuditorPermissions, Permission.ConfigureModels, Permission.RunChecks, Permission.WriteObservations];

    private static readonly Permission[] AdminPermissions =
        [.. DataScientistPermissions, Permission.RollbackLedger, Permission.EraseData, Permission.ManageUsers, Permission.ManageApiKeys];

    public static IReadOnlyList<Permission> PermissionsOf(string role) => role switch
    {
        Auditor => AuditorPermissions,
        DataScientist => DataScientistPermissions,
        Admin => AdminPermissions,
        _ => [],
    };

    /// <summary>What a person in the role may do, in the words the console shows before a role changes.</summary>
    public static string Describe(string role) => role switch
    {
        Auditor => "read trails and run history, verify the ledger and export it",
        DataScientist => "everything an auditor may, and configure models, upload baselines, feed observations and run checks",
        Admin => "everything a data scientist may, and roll the ledger back, erase entries' data and manage users and API keys",
        _ => "nothing",
    };

    /// <summary>The role as it is spelled here, or null when there is no such role (case-insensitive).</summary>
    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// What an API key may be used for: services and pipelines, never people. Keys never get user, key, rollback, verify
/// or export rights, and none of them can sign a checkpoint.
/// </summary>
public static class ApiKeyScopes
{
    /// <summary>Append audit entries.</summary>
    public const string AuditAppend = "audit:append";

    /// <summary>Post observations for drift checks.</summary>
    public const string ObservationsWrite = "observations:write";

    /// <summary>Read trails, entries, statistics, models and run history.</summary>
    public const string Read = "read";

    /// <summary>Create and change model configurations and replace baselines (an MLOps pipeline registering a version).</summary>
    public const string ModelsWrite = "models:write";

    /// <summary>Run a drift check now.</summary>
    public const string RunsTrigger = "runs:trigger";

    public static readonly IReadOnlyList<string> All = [AuditAppend, ObservationsWrite, Read, ModelsWrite, RunsTrigger];

    public static IReadOnlyList<Permission> PermissionsOf(string scope) => scope switch
    {
        AuditAppend => [Permission.AppendAudit],
        ObservationsWrite => [Permission.WriteObservations],
        Read => [Permission.ReadLedger, Permission.ReadMonitoring],
        ModelsWrite => [Permission.ConfigureModels],
        RunsTrigger => [Permission.RunChecks],
        _ => [],
    };

    /// <summary>What the scope allows, in words, for the console's API keys page.</summary>
    public static string Describe(string scope) => scope switch
    {
        AuditAppend => "append audit entries",
        ObservationsWrite => "post observations",
        Read => "read trails, statistics, models and run history",
        ModelsWrite => "configure models and replace baselines",
        RunsTrigger => "run drift checks now",
        _ => scope,
    };
}

using System.Text.Json;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;

namespace MonitorConsole.Access;

/// <summary>
/// Writes what people and services did in the console into the ledger: sign-ins, configuration, exports,
/// verifications, rollbacks, accounts and keys. The actor is the caller's real name, never a placeholder.
/// </summary>
public sealed class ActionLog(AuditWriter writer)
{
    public const string SignIn = "SIGN_IN";
    public const string SignInFailed = "SIGN_IN_FAILED";
    public const string SignOut = "SIGN_OUT";
    public const string UserCreated = "USER_CREATED";
    public const string UserRoleChanged = "USER_ROLE_CHANGED";
    public const string UserLocked = "USER_LOCKED";
    public const string UserUnlocked = "USER_UNLOCKED";
    public const string UserPasswordReset = "USER_PASSWORD_RESET";
    public const string UserDeleted = "USER_DELETED";
    public const string ApiKeyCreated = "API_KEY_CREATED";
    public const string ApiKeyRevoked = "API_KEY_REVOKED";
    public const string LedgerVerified = "LEDGER_VERIFIED";
    public const string LedgerExported = "LEDGER_EXPORTED";
    public const string RunsExported = "RUNS_EXPORTED";

    public Task<AuditEntry> RecordAsync(
        string action, string actor, string resourceType, string? resourceId, object data, CancellationToken ct = default)
    {
        var draft = new AuditEntryDraft(action, actor, resourceType, resourceId, JsonSerializer.Serialize(data, LedgerJson.Options));
        return LedgerVocabulary.ReservedActions.Contains(action) ? writer.AppendReservedAsync(draft, ct) : writer.AppendAsync(draft, ct);
    }
}

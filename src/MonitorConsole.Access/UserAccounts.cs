using MonitorConsole.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MonitorConsole.Access;

public sealed record UserView(string UserName, string Role, DateTimeOffset? LockedUntil, int FailedSignIns, bool Locked);

/// <summary>
/// Local console accounts (ASP.NET Core Identity): each has exactly one role. Only administrators (or the command
/// line) manage them, every change is a ledger entry, and the last unlocked administrator cannot be removed, demoted
/// or locked out.
/// </summary>
public sealed class UserAccounts(
    UserManager<IdentityUser> users, RoleManager<IdentityRole> roles, ActionLog log, IOptions<AccessOptions> options, TimeProvider clock)
{
    public const string BootstrapActor = LedgerVocabulary.SystemActorPrefix + "bootstrap";

    public async Task<IReadOnlyList<UserView>> ListAsync(Caller caller, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageUsers);
        var all = await users.Users.OrderBy(u => u.UserName).ToListAsync(ct);
        var views = new List<UserView>(all.Count);
        foreach (var user in all) views.Add(await ViewAsync(user));
        return views;
    }

    public async Task<UserView> AddAsync(Caller caller, string userName, string role, string password, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageUsers);
        var normalizedRole = ConsoleRoles.Normalize(role) ?? throw UnknownRole(role);
        var name = await ValidateNewAsync(userName, password);
        await EnsureRolesAsync();

        await log.RecordAsync(ActionLog.UserCreated, caller.Actor, "user", name, new { user_name = name, role = normalizedRole }, ct);
        var user = new IdentityUser(name);
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, normalizedRole));
        return await ViewAsync(user);
    }

    /// <summary>
    /// Checks a new account's name and password before anything is written (so a weak password leaves nothing
    /// behind); returns the trimmed name.
    /// </summary>
    public async Task<string> ValidateNewAsync(string userName, string password)
    {
        var name = CheckName(userName);
        if (await users.FindByNameAsync(name) is not null) throw new AccessInputException("user_name", $"'{name}' already exists");
        var user = new IdentityUser(name);
        // Identity's own rules (allowed characters among them) are checked here too, before the ledger entry.
        foreach (var validator in users.UserValidators)
        {
            var result = await validator.ValidateAsync(users, user);
            if (!result.Succeeded) throw new AccessInputException("user_name", Describe(result));
        }
        await CheckPasswordAsync(user, password);
        return name;
    }

    /// <summary>
    /// Checks a person's name as the ledger would record it — for new accounts and for names that arrive from an
    /// identity provider — and returns it trimmed. Names that could pass for an API key, the console itself, the
    /// command line or an unknown caller are refused, whatever their case.
    /// </summary>
    public static string CheckName(string? userName, string field = "user_name")
    {
        var name = userName?.Trim() ?? "";
        if (name.Length is 0 or > 64) throw new AccessInputException(field, "must be 1–64 characters");
        if (name.Any(char.IsControl)) throw new AccessInputException(field, "must not contain control characters");
        if (ReservedPrefixes.FirstOrDefault(p => name.StartsWith(p.Prefix, StringComparison.OrdinalIgnoreCase)) is { Prefix: not null } reserved)
            throw new AccessInputException(field, $"may not start with '{reserved.Prefix}' — that prefix is reserved for {reserved.Owner}");
        if (string.Equals(name, LedgerVocabulary.AnonymousActor, StringComparison.OrdinalIgnoreCase))
            throw new AccessInputException(field, $"may not be '{LedgerVocabulary.AnonymousActor}' — the ledger records failed sign-ins under that name");
        return name;
    }

    /// <summary>Actor-name prefixes that belong to callers other than people.</summary>
    public static readonly IReadOnlyList<(string Prefix, string Owner)> ReservedPrefixes =
    [
        (LedgerVocabulary.KeyActorPrefix, "API keys, which act as key:<key name>"),
        (LedgerVocabulary.SystemActorPrefix, "the console's own actors, such as system:setup and system:bootstrap"),
        (LedgerVocabulary.CliActorPrefix, "the command line, which acts as cli:<OS user>"),
    ];

    public async Task<UserView> SetRoleAsync(Caller caller, string userName, string role, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageUsers);
        var normalizedRole = ConsoleRoles.Normalize(role) ?? throw UnknownRole(role);
        var user = await FindAsync(userName);
        var current = await RoleOfAsync(user);
        if (current == normalizedRole) return await ViewAsync(user);
        if (current == ConsoleRoles.Admin) await KeepAnAdminAsync(user);
        await log.RecordAsync(ActionLog.UserRoleChanged, caller.Actor, "user", user.UserName,
            new { user_name = user.UserName, from = current, to = normalizedRole }, ct);
        if (current is not null) Check(await users.RemoveFromRoleAsync(user, current));
        Check(await users.AddToRoleAsync(user, normalizedRole));
        // Open sessions carry the old role; a new stamp makes them re-read it (or end) at the next validation.
        Check(await users.UpdateSecurityStampAsync(user));
        return await ViewAsync(user);
    }

    public async Task<UserView> SetLockedAsync(Caller caller, string userName, bool locked, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageUsers);
        var user = await FindAsync(userName);
        if (locked && await RoleOfAsync(user) == ConsoleRoles.Admin) await KeepAnAdminAsync(user);
        await log.RecordAsync(locked ? ActionLog.UserLocked : ActionLog.UserUnlocked, caller.Actor, "user", user.UserName,
            new { user_name = user.UserName }, ct);
        Check(await users.SetLockoutEnabledAsync(user, true));
        Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
        if (!locked) Check(await users.ResetAccessFailedCountAsync(user));
        else Check(await users.UpdateSecurityStampAsync(user));
        return await ViewAsync(user);
    }

    public async Task ResetPasswordAsync(Caller caller, string userName, string password, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageUsers);
        var user = await FindAsync(userName);
        await CheckPasswordAsync(user, password);
        await log.RecordAsync(ActionLog.UserPasswordReset, caller.Actor, "user", user.UserName, new { user_name = user.UserName }, ct);
        Check(await users.RemovePasswordAsync(user));
        Check(await users.AddPasswordAsync(user, password));
    }

    public async Task DeleteAsync(Caller caller, string userName, CancellationToken ct = default)
    {
        caller.Require(Permission.ManageUsers);
        var user = await FindAsync(userName);
        var role = await RoleOfAsync(user);
        if (role == ConsoleRoles.Admin) await KeepAnAdminAsync(user);
        await log.RecordAsync(ActionLog.UserDeleted, caller.Actor, "user", user.UserName, new { user_name = user.UserName, role }, ct);
        Check(await users.DeleteAsync(user));
    }

    /// <summary>Creates the configured first administrator when there is no account at all; otherwise does nothing.</summary>
    public async Task<bool> BootstrapAsync(CancellationToken ct = default)
    {
        var admin = options.Value.BootstrapAdmin;
        if (string.IsNullOrWhiteSpace(admin.UserName) || string.IsNullOrEmpty(admin.Password)) return false;
        // A reserved or malformed name is a configuration mistake: say so, naming the setting, instead of going on
        // without an administrator.
        CheckName(admin.UserName, "Access:BootstrapAdmin:UserName");
        if (await users.Users.AnyAsync(ct)) return false;
        try
        {
            await AddAsync(Caller.System(BootstrapActor), admin.UserName, ConsoleRoles.Admin, admin.Password, ct);
            return true;
        }
        catch (AccessInputException e) when (e.Field == "user_name")
        {
            // Another instance on the same database created an account first; anything else is a real problem.
            if (await users.Users.AnyAsync(ct)) return false;
            throw new AccessInputException("Access:BootstrapAdmin:UserName", e.Problem);
        }
    }

    /// <summary>The account's single role, or null for an account that has none.</summary>
    public async Task<string?> RoleOfAsync(IdentityUser user)
    {
        var held = await users.GetRolesAsync(user);
        return ConsoleRoles.All.LastOrDefault(held.Contains);
    }

    private async Task KeepAnAdminAsync(IdentityUser leaving)
    {
        var admins = await users.GetUsersInRoleAsync(ConsoleRoles.Admin);
        var now = clock.GetUtcNow();
        if (!admins.Any(a => a.Id != leaving.Id && (a.LockoutEnd is null || a.LockoutEnd <= now)))
            throw new AccessInputException("user_name", $"'{leaving.UserName}' is the last unlocked administrator; add another first");
    }

    private async Task<IdentityUser> FindAsync(string userName) =>
        await users.FindByNameAsync(userName?.Trim() ?? "") ?? throw new AccessInputException("user_name", $"no account '{userName}'");

    private async Task<UserView> ViewAsync(IdentityUser user) =>
        new(user.UserName!, await RoleOfAsync(user) ?? "(none)", user.LockoutEnd, user.AccessFailedCount,
            user.LockoutEnd is { } until && until > clock.GetUtcNow());

    private async Task CheckPasswordAsync(IdentityUser user, string password)
    {
        if (string.IsNullOrEmpty(password)) throw new AccessInputException("password", "is required");
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded) throw new AccessInputException("password", Describe(result));
        }
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in ConsoleRoles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)));
    }

    private static void Check(IdentityResult result)
    {
        if (result.Succeeded) return;
        var field = result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "user_name";
        throw new AccessInputException(field, Describe(result));
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private static AccessInputException UnknownRole(string? role) =>
        new("role", $"'{role}' is not a role; use {string.Join(", ", ConsoleRoles.All)}");
}

using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MonitorConsole.Access;

public static class AccessServiceCollectionExtensions
{
    /// <summary>
    /// Accounts (Identity's user and role stores, no cookies: the web host adds sign-in), API keys, and the guarded
    /// ledger operations. Identity's stores need a scoped context; it comes from the same per-operation factory.
    /// </summary>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>();
        services.TryAddSingleton<AccessDatabase>();
        services.TryAddSingleton<ActionLog>();
        services.TryAddSingleton<ApiKeyService>();
        services.TryAddSingleton<LedgerOperations>();
        services.TryAddScoped<UserAccounts>();
        services.TryAddScoped(sp => sp.GetRequiredService<AccessDatabase>().CreateDbContext());
        if (services.Any(d => d.ServiceType == typeof(IUserStore<IdentityUser>))) return services;
        services.AddIdentityCore<IdentityUser>()
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AccessDbContext>();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccessOptions>>((identity, access) =>
        {
            identity.Password.RequiredLength = access.Value.MinimumPasswordLength;
            // Length is what makes a password strong; composition rules mostly make people write them down.
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = access.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = access.Value.LockoutDuration;
            identity.User.RequireUniqueEmail = false;
        });
        return services;
    }
}

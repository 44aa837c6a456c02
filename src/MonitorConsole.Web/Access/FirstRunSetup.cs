using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Access;

/// <summary>
/// A console without accounts gets its first administrator either from configuration (Access:BootstrapAdmin) or
/// through /setup with a one-time token that only the operator sees: it is written to the log at start-up. There is
/// never a default password. The setup link dies the moment any account exists, however it was made — the setup page,
/// <c>users add</c>, configuration, or another console on the same database: every request that could use the link
/// asks the database again, and once an account has been seen the link stays dead for the life of the process.
/// </summary>
public sealed class FirstRunSetup(
    IServiceScopeFactory scopes, AccessDatabase database, IServer server, IHostApplicationLifetime lifetime,
    Hosting.HostingOptions hosting, IHostEnvironment environment, ILogger<FirstRunSetup> logger) : IHostedService
{
    private readonly string _token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    private readonly SemaphoreSlim _creating = new(1, 1);

    // Set once at start-up when there was no account; cleared for good once any account is seen.
    private volatile bool _offered;

    public async Task StartAsync(CancellationToken ct)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            if (await accounts.BootstrapAsync(ct))
            {
                logger.LogWarning("Created the administrator named in Access:BootstrapAdmin; remove the password from configuration now.");
                return;
            }
        }
        if (await AnyAccountAsync(ct)) return;
        _offered = true;
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var address = addresses.FirstOrDefault(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault() ?? "";
            if (hosting.RequiresHttps(environment) && !address.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                logger.LogWarning("No console accounts exist yet. Create the first administrator at {Path} on the HTTPS address your proxy serves this node at (it listens on {Address})",
                    $"/setup?token={_token}", address);
            else
                logger.LogWarning("No console accounts exist yet. Create the first administrator at {Url}", $"{address}/setup?token={_token}");
        });
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>True while the setup link may still be used: offered at start-up, and still no account in the database.</summary>
    public async Task<bool> IsOpenAsync(CancellationToken ct = default)
    {
        if (!_offered) return false;
        if (!await AnyAccountAsync(ct)) return true;
        _offered = false;
        return false;
    }

    /// <summary>True when the token is this process's setup token and the link is still open.</summary>
    public async Task<bool> AcceptsAsync(string? token, CancellationToken ct = default) =>
        token is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(_token)) &&
        await IsOpenAsync(ct);

    /// <summary>
    /// Runs <paramref name="create"/> (which makes the first account) only while the link is open for the token, one
    /// request at a time, and closes the link afterwards whatever happened. False when the link was dead or the token
    /// wrong; nothing was run then.
    /// </summary>
    public async Task<bool> CreateFirstAccountAsync(string? token, Func<Task> create, CancellationToken ct = default)
    {
        await _creating.WaitAsync(ct);
        try
        {
            if (!await AcceptsAsync(token, ct)) return false;
            await create();
            return true;
        }
        finally
        {
            try
            {
                if (await AnyAccountAsync(CancellationToken.None)) _offered = false;
            }
            finally
            {
                // Whatever the database answered, the next request must not wait on this one for ever.
                _creating.Release();
            }
        }
    }

    private async Task<bool> AnyAccountAsync(CancellationToken ct)
    {
        await using var db = await database.CreateDbContextAsync(ct);
        return await db.Users.AnyAsync(ct);
    }
}

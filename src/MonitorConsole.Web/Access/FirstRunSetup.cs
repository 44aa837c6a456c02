using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Access;

/// <summary>
/// A console without accounts gets its first administrator either from configuration (Access:BootstrapAdmin) or
/// through /setup with a one-time token that only the operator sees: it is written to the log at start-up. There is
/// never a default password, and the setup page closes for good once an account exists.
/// </summary>
public sealed class FirstRunSetup(
    IServiceScopeFactory scopes, IServer server, IHostApplicationLifetime lifetime, ILogger<FirstRunSetup> logger) : IHostedService
{
    private readonly string _token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    private volatile bool _open;

    /// <summary>True while there is no account and setup has not been completed.</summary>
    public bool Open => _open;

    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        if (await accounts.BootstrapAsync(ct))
        {
            logger.LogWarning("Created the administrator named in Access:BootstrapAdmin; remove the password from configuration now.");
            return;
        }
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.Users.AnyAsync(ct)) return;
        _open = true;
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
            logger.LogWarning("No console accounts exist yet. Create the first administrator at {Url}", $"{address}/setup?token={_token}");
        });
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    public bool Accepts(string? token) =>
        _open && token is not null &&
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(_token));

    public void Close() => _open = false;
}

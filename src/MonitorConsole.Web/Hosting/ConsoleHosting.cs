using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Hosting;

/// <summary>
/// What running behind a TLS-terminating proxy and on several nodes needs: forwarded headers from believed proxies
/// only, HTTPS outside Development (or a page saying how to get it), and data-protection keys shared through the
/// database so a session or form token made on one node is accepted by every other.
/// </summary>
internal static class ConsoleHosting
{
    /// <summary>Every node must use the same name: keys are isolated per application name, not per machine or folder.</summary>
    public const string ApplicationName = "MonitorConsole";

    public static HostingOptions Options(IConfiguration configuration) =>
        configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();

    public static void AddConsoleHosting(this IServiceCollection services, IConfiguration configuration)
    {
        var options = Options(configuration);
        services.AddSingleton(options);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults (127.0.0.0/8 and ::1) stay: a proxy on the same machine is believed without configuration.
            foreach (var proxy in options.KnownProxies) o.KnownProxies.Add(NetworkSettings.Address(proxy, "Hosting:KnownProxies"));
            foreach (var network in options.KnownNetworks) o.KnownIPNetworks.Add(NetworkSettings.Network(network, "Hosting:KnownNetworks"));
        });

        var dataProtection = services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<AccessDbContext>();
        if (options.DataProtectionCertificate.Path is { Length: > 0 } path)
        {
            var certificate = LoadCertificate(path, options.DataProtectionCertificate.Password, "Hosting:DataProtectionCertificate:Path");
            var previous = options.DataProtectionCertificate.PreviousPaths
                .Select(p => LoadCertificate(p, options.DataProtectionCertificate.Password, "Hosting:DataProtectionCertificate:PreviousPaths"));
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        }
    }

    /// <summary>First in the pipeline: the scheme and client address must be right before anything looks at them.</summary>
    public static void UseConsoleHosting(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.Use(Access.SecurityHeaders.ApplyAsync);
        var options = app.Services.GetRequiredService<HostingOptions>();
        if (!options.RequiresHttps(app.Environment)) return;
        if (options.DataProtectionCertificate.Path is null &&
            app.Services.GetRequiredService<Audit.Storage.AuditDatabase>().Provider != Audit.Storage.DatabaseProvider.Sqlite)
            app.Logger.LogWarning(
                "The keys that sign sessions are stored unencrypted in the database: anyone who can read it or a backup of it can forge a session. Set Hosting:DataProtectionCertificate:Path (docs/operations.md).");
        app.UseHsts();
        var metricsPath = app.Configuration["Operations:Metrics:Path"] ?? "/metrics";
        // A node serving HTTPS itself sends plain HTTP there; one without an HTTPS endpoint shows how to get one.
        app.UseWhen(context => !PlainHttpPage.IsProbe(context.Request, metricsPath), branch =>
        {
            branch.UseHttpsRedirection();
            branch.Use(PlainHttpPage.UnlessHttpsAsync);
        });
    }

    private static X509Certificate2 LoadCertificate(string path, string? password, string setting)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{setting}: {path} has no private key; a .pfx with its key is needed.");
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException($"{setting}: {path} could not be read as a .pfx certificate ({ex.Message}).", ex);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"{setting}: {path} could not be opened ({ex.Message}).", ex);
        }
    }
}

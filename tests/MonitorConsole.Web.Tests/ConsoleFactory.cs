using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

/// <summary>
/// The console on a fresh SQLite file, scheduler off, with a bootstrap administrator. Clients sign in through the real
/// sign-in form (antiforgery token and all) or carry a real API key.
/// </summary>
public sealed partial class ConsoleFactory : WebApplicationFactory<Program>
{
    public const string AdminName = "root";
    public const string Password = "correct horse battery staple";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mc-web-tests", Guid.NewGuid().ToString("N"));
    private readonly bool _bootstrapAdmin;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    public ConsoleFactory() : this(bootstrapAdmin: true)
    {
    }

    /// <param name="bootstrapAdmin">False for a console that starts without accounts and offers the setup link.</param>
    /// <param name="settings">More configuration, e.g. Access:OpenIdConnect:*.</param>
    /// <param name="services">Changes to the host's services, applied after the console's own.</param>
    public ConsoleFactory(bool bootstrapAdmin, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        _bootstrapAdmin = bootstrapAdmin;
        _settings = settings ?? new Dictionary<string, string>();
        _services = services;
    }

    /// <summary>The SQLite file the console uses, for a second host ("another node", the CLI) on the same database.</summary>
    public string DatabaseUrl => $"sqlite:///{Path.Combine(_folder, "console.db")}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Audit:Database", DatabaseUrl);
        builder.UseSetting("Monitoring:SchedulerEnabled", "false");
        builder.UseSetting("Monitoring:AllowInsecureWebhooks", "true");
        builder.UseSetting("Monitoring:AllowPrivateWebhookTargets", "true");
        if (_bootstrapAdmin)
        {
            builder.UseSetting("Access:BootstrapAdmin:UserName", AdminName);
            builder.UseSetting("Access:BootstrapAdmin:Password", Password);
        }
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureTestServices(_services);
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLog(ServerErrors, ServerWarnings)));
    }

    /// <summary>Errors the server logged (unhandled exceptions among them), so a failing test can say what broke.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ServerErrors { get; } = new();

    /// <summary>Warnings the server logged (the one-time setup link among them).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ServerWarnings { get; } = new();

    /// <summary>The path and query of the one-time setup link the console logged at start-up.</summary>
    public async Task<string> SetupLinkAsync()
    {
        using var _ = CreateClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var line = ServerWarnings.FirstOrDefault(l => l.Contains("/setup?token=", StringComparison.Ordinal));
            if (line is not null) return line[line.IndexOf("/setup?token=", StringComparison.Ordinal)..].Split(' ')[0].Trim();
            await Task.Delay(50);
        }
        throw new InvalidOperationException("the console did not log a setup link");
    }

    /// <summary>A client with no session and no key, that does not follow redirects.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client signed in as a person with the role (the account is created if needed).</summary>
    public async Task<HttpClient> SignInAsync(string role, string? userName = null)
    {
        userName ??= role == ConsoleRoles.Admin ? AdminName : role.ToLowerInvariant();
        if (userName != AdminName)
        {
            await using var scope = Services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            if (!(await accounts.ListAsync(Caller.System("tests"))).Any(u => u.UserName == userName))
                await accounts.AddAsync(Caller.System("tests"), userName, role, Password);
        }
        var client = Anonymous();
        var response = await PostSignInAsync(client, userName, Password);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
            throw new InvalidOperationException($"sign-in as {userName} answered {(int)response.StatusCode}");
        return client;
    }

    /// <summary>Fills and posts the sign-in form as a browser would.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string userName, string password)
    {
        var page = await client.GetStringAsync("/signin");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>A client that sends a new API key with the scopes.</summary>
    public async Task<HttpClient> KeyClientAsync(params string[] scopes) => KeyClient((await CreateKeyAsync(scopes: scopes)).Token);

    public async Task<CreatedApiKey> CreateKeyAsync(string? name = null, int? requestsPerMinute = null, long? maxBodyBytes = null, params string[] scopes) =>
        await Services.GetRequiredService<ApiKeyService>().CreateAsync(Caller.System("tests"),
            new ApiKeyRequest(name ?? $"svc-{Guid.NewGuid():N}"[..12], scopes, requestsPerMinute, maxBodyBytes));

    public HttpClient KeyClient(string token)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private sealed class ErrorLog(
        System.Collections.Concurrent.ConcurrentQueue<string> errors, System.Collections.Concurrent.ConcurrentQueue<string> warnings) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) errors.Enqueue($"{formatter(state, exception)} {exception}");
            else if (logLevel == LogLevel.Warning) warnings.Enqueue(formatter(state, exception));
        }
        public void Dispose() { }
    }

    /// <summary>The antiforgery token in a rendered form.</summary>
    public static string AntiforgeryToken(string page) => AntiforgeryField().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace MonitorConsole.E2E;

/// <summary>
/// The console running as a real process on a free loopback port, on a fresh data folder, and Debian's Chromium
/// driven by Playwright. Screenshots go to e2e/artifacts.
/// </summary>
public class ConsoleApp : IAsyncLifetime
{
    public static readonly string Repository = FindRepository();
    public static readonly string Artifacts = Path.Combine(Repository, "e2e", "artifacts");
    public const string AdminName = "root";
    public const string Password = "e2e password, long enough";

    private Process? _app;
    private IPlaywright? _playwright;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private readonly Dictionary<string, string> _sessions = [];

    public ConsoleApp()
    {
    }

    /// <summary>A console on the given database (a PostgreSQL connection string, say) instead of its own SQLite file.</summary>
    protected ConsoleApp(string database) => _database = database;

    private readonly string? _database;

    /// <summary>False for a console that starts without accounts (the first-run setup).</summary>
    protected virtual bool WithAdministrator => true;

    /// <summary>Settings of the console process beyond the defaults, as environment variables (Audit__Evidence__MaxEntries, say).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>What the console process wrote (warnings and errors), for failure messages.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Content-Security-Policy violations the browser reported on any page so far.</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> CspViolations { get; } = [];

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mc-e2e", Guid.NewGuid().ToString("N"));
    public string DatabasePath => Path.Combine(Folder, "console.db");
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(Artifacts);
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(Repository, "src", "MonitorConsole.Web"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "run", "--no-build", "--no-launch-profile", "--project", "MonitorConsole.Web.csproj" }) info.ArgumentList.Add(arg);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = BaseUrl;
        info.Environment["Audit__Database"] = _database ?? $"sqlite:///{DatabasePath}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Audit__Checkpoints__SigningKeyFile"] = Path.Combine(Folder, "keys", "signing.pem");
        info.Environment["Audit__Checkpoints__PublicKeysDirectory"] = Path.Combine(Folder, "keys", "trusted");
        if (WithAdministrator)
        {
            info.Environment["Access__BootstrapAdmin__UserName"] = AdminName;
            info.Environment["Access__BootstrapAdmin__Password"] = Password;
        }
        foreach (var (name, value) in Settings) info.Environment[name] = value;
        _app = Process.Start(info)!;
        _app.OutputDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _app.ErrorDataReceived += (_, e) => { if (e.Data is not null) _log.Enqueue(e.Data); };
        _app.BeginOutputReadLine();
        _app.BeginErrorReadLine();
        await WaitForHealthAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A page at the path, signed in as the user (the administrator by default), once the circuit is interactive.</summary>
    public async Task<IPage> OpenAsync(string path, string? userName = null)
    {
        var page = await NewPageAsync(await SessionAsync(userName ?? AdminName));
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>A page signed in as the user in a browser window of the given width (a phone is 390 px wide).</summary>
    public async Task<IPage> OpenAtWidthAsync(string userName, int width, int height)
    {
        var page = await NewPageAsync(await SessionAsync(userName), new ViewportSize { Width = width, Height = height });
        return page;
    }

    /// <summary>A page in a fresh browser context: no session unless its stored state is given.</summary>
    public async Task<IPage> NewPageAsync(string? storageState = null, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 900 },
            AcceptDownloads = true,
            BaseURL = BaseUrl,
            StorageState = storageState,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) CspViolations.Add($"{page.Url}: {message.Text}");
        };
        return page;
    }

    /// <summary>Signs in through the sign-in page as a person would.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
    }

    /// <summary>Adds an account with the role (through the API, as the administrator); its password is <see cref="Password"/>.</summary>
    public async Task AddUserAsync(string userName, string role)
    {
        var admin = await NewPageAsync(await SessionAsync(AdminName));
        var response = await admin.APIRequest.PostAsync("/api/users", new APIRequestContextOptions
        {
            DataObject = new Dictionary<string, string> { ["user_name"] = userName, ["role"] = role, ["password"] = Password },
        });
        if (!response.Ok) throw new InvalidOperationException($"adding {userName} answered {response.Status}: {await response.TextAsync()}");
        await admin.Context.CloseAsync();
    }

    /// <summary>An API key with the scopes, created by the administrator through the API.</summary>
    public async Task<string> CreateKeyAsync(params string[] scopes)
    {
        var admin = await NewPageAsync(await SessionAsync(AdminName));
        var response = await admin.APIRequest.PostAsync("/api/keys", new APIRequestContextOptions
        {
            DataObject = new Dictionary<string, object> { ["name"] = $"e2e-{Guid.NewGuid():N}"[..12], ["scopes"] = scopes },
        });
        var body = System.Text.Json.JsonDocument.Parse(await response.TextAsync());
        await admin.Context.CloseAsync();
        return body.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>A page signed in as the administrator, for calling the API with its session (page.APIRequest).</summary>
    public async Task<IPage> AdminPageAsync() => await NewPageAsync(await SessionAsync(AdminName));

    /// <summary>The one-time setup link the console wrote to its log.</summary>
    public async Task<string> SetupLinkAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var line = _log.FirstOrDefault(l => l.Contains("/setup?token=", StringComparison.Ordinal));
            if (line is not null) return line[line.IndexOf("/setup?token=", StringComparison.Ordinal)..].Trim();
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the console did not log a setup link");
    }

    private async Task<string> SessionAsync(string userName)
    {
        if (_sessions.TryGetValue(userName, out var state)) return state;
        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await SignInAsync(page, userName, Password);
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        state = await page.Context.StorageStateAsync();
        await page.Context.CloseAsync();
        return _sessions[userName] = state;
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    /// <summary>Runs the built CLI against this console's database.</summary>
    public async Task<(int Code, string Output)> CliAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Folder };
        foreach (var arg in new[] { "run", "--no-build", "--project", Path.Combine(Repository, "src", "MonitorConsole.Cli", "MonitorConsole.Cli.csproj"), "--" }) info.ArgumentList.Add(arg);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private async Task WaitForHealthAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_app!.HasExited) throw new InvalidOperationException($"the console exited with code {_app.ExitCode}");
            try
            {
                if ((await http.GetAsync(BaseUrl + "/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the console did not answer /health within 60 s");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static string FindRepository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MonitorConsole.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MonitorConsole.sln not found above the test binaries");
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_app is { HasExited: false })
        {
            _app.Kill(entireProcessTree: true);
            await _app.WaitForExitAsync();
        }
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>A console started without any account, as on a fresh install.</summary>
public sealed class EmptyConsoleApp : ConsoleApp
{
    protected override bool WithAdministrator => false;
}

/// <summary>A console on a database it shares with others (not a fixture: started by the test that needs it).</summary>
public sealed class SharedDatabaseConsoleApp(string database) : ConsoleApp(database);

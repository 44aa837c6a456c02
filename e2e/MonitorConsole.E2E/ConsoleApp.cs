using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Playwright;

namespace MonitorConsole.E2E;

/// <summary>
/// The console running as a real process on a free loopback port, on a fresh data folder, and Debian's Chromium
/// driven by Playwright. Screenshots go to e2e/artifacts.
/// </summary>
public sealed class ConsoleApp : IAsyncLifetime
{
    public static readonly string Repository = FindRepository();
    public static readonly string Artifacts = Path.Combine(Repository, "e2e", "artifacts");

    private Process? _app;
    private IPlaywright? _playwright;

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
        info.Environment["Audit__Database"] = $"sqlite:///{DatabasePath}";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _app = Process.Start(info)!;
        _app.OutputDataReceived += (_, _) => { };
        _app.ErrorDataReceived += (_, _) => { };
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

    /// <summary>A page at the path, once the Blazor circuit is interactive.</summary>
    public async Task<IPage> OpenAsync(string path)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, AcceptDownloads = true, BaseURL = BaseUrl });
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
        return page;
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

    public async ValueTask DisposeAsync()
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

using System.Diagnostics;
using System.Net.Sockets;

namespace MonitorConsole.E2E.Deployment;

/// <summary>
/// The console as it is deployed: the published app (dotnet publish of the build under test), started with
/// ASPNETCORE_ENVIRONMENT=Production from its publish folder, with its own home folder. Configuration comes in as
/// environment variables, the way a systemd unit or container passes it.
/// </summary>
public sealed class PublishedConsole : IAsyncDisposable
{
    private static readonly SemaphoreSlim PublishGate = new(1, 1);
    private static string? _publishFolder;
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    private PublishedConsole(string name, Process process, string home)
    {
        Name = name;
        _process = process;
        Home = home;
    }

    public string Name { get; }

    public string Home { get; }

    public string Log => string.Join('\n', _log);

    public bool Running => !_process.HasExited;

    /// <summary>Publishes the web project's existing build once per test run (no rebuild): the layout users deploy.</summary>
    public static async Task<string> PublishAsync()
    {
        await PublishGate.WaitAsync();
        try
        {
            if (_publishFolder is not null) return _publishFolder;
            var folder = Path.Combine(Path.GetTempPath(), "mc-e2e", "published-" + Guid.NewGuid().ToString("N")[..8]);
            var project = Path.Combine(ConsoleApp.Repository, "src", "MonitorConsole.Web", "MonitorConsole.Web.csproj");
            var (code, output) = await RunAsync("dotnet", ConsoleApp.Repository, "publish", project, "-c", "Debug", "--no-build", "-o", folder);
            if (code != 0) throw new InvalidOperationException($"dotnet publish failed ({code}):\n{output}");
            return _publishFolder = folder;
        }
        finally
        {
            PublishGate.Release();
        }
    }

    /// <summary>Starts a node and waits until its health endpoint answers over plain HTTP on <paramref name="healthUrl"/>.</summary>
    public static async Task<PublishedConsole> StartAsync(string name, string healthUrl, IReadOnlyDictionary<string, string> settings)
    {
        var published = await PublishAsync();
        var home = Path.Combine(Path.GetTempPath(), "mc-e2e", $"{name}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(home);
        var info = new ProcessStartInfo("dotnet")
        {
            // As a systemd unit would: the publish folder is the working directory (the content root), HOME is the node's.
            WorkingDirectory = published,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(published, "MonitorConsole.Web.dll"));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["HOME"] = home;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) info.Environment[key] = value;
        var node = new PublishedConsole(name, Process.Start(info)!, home);
        node._process.OutputDataReceived += (_, e) => { if (e.Data is not null) node._log.Enqueue(e.Data); };
        node._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) node._log.Enqueue(e.Data); };
        node._process.BeginOutputReadLine();
        node._process.BeginErrorReadLine();
        await node.WaitForHealthAsync(healthUrl);
        return node;
    }

    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static async Task<(int Code, string Output)> RunAsync(string program, string folder, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private async Task WaitForHealthAsync(string healthUrl)
    {
        using var http = new HttpClient();
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                if ((await http.GetAsync(healthUrl)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }
        throw new TimeoutException($"{Name} did not answer {healthUrl} within 90 s:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(Home, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

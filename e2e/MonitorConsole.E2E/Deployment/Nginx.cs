using System.Diagnostics;

namespace MonitorConsole.E2E.Deployment;

/// <summary>
/// Debian's nginx running the reverse-proxy example from docs/examples/nginx-monitorconsole.conf, changed only in
/// its listening port, certificate paths and node addresses. It adds X-Served-By (the node that answered) so a test
/// can tell the nodes apart.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _folder;

    private Nginx(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"https://127.0.0.1:{Port}";

    /// <summary>Skips the test without nginx, unless MONITORCONSOLE_REQUIRE_NGINX=1 (CI), where that is a failure.</summary>
    public static void RequireInstalled()
    {
        if (File.Exists(Binary)) return;
        if (Environment.GetEnvironmentVariable("MONITORCONSOLE_REQUIRE_NGINX") == "1")
            throw new InvalidOperationException($"{Binary} is missing but the proxy tests are required (.ci/run installs nginx)");
        Assert.Skip("the reverse-proxy tests need Debian's nginx (apt-get install nginx); .ci/run installs it");
    }

    public static async Task<Nginx> StartAsync(TestCertificate certificate, params int[] nodePorts)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mc-e2e", "nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(folder, "temp"));
        var port = PublishedConsole.FreePort();
        var example = await File.ReadAllTextAsync(Path.Combine(ConsoleApp.Repository, "docs", "examples", "nginx-monitorconsole.conf"));
        var site = Replace(example, "listen 443 ssl;", $"listen 127.0.0.1:{port} ssl;");
        site = Replace(site, "    server 127.0.0.1:5174;\n    server 127.0.0.1:5175;\n",
            string.Concat(nodePorts.Select(p => $"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;\n")));
        site = Replace(site, "/etc/ssl/monitorconsole/fullchain.pem", certificate.CertificatePath);
        site = Replace(site, "/etc/ssl/monitorconsole/privkey.pem", certificate.KeyPath);
        await File.WriteAllTextAsync(Path.Combine(folder, "site.conf"), site);
        var temp = Path.Combine(folder, "temp");
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), $$"""
            daemon off;
            master_process off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log {{folder}}/access.log;
                client_body_temp_path {{temp}}/body;
                proxy_temp_path {{temp}}/proxy;
                fastcgi_temp_path {{temp}}/fastcgi;
                uwsgi_temp_path {{temp}}/uwsgi;
                scgi_temp_path {{temp}}/scgi;
                add_header X-Served-By $upstream_addr always;
                include {{folder}}/site.conf;
            }
            """);
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", folder, "-c", Path.Combine(folder, "nginx.conf") }) info.ArgumentList.Add(arg);
        var nginx = new Nginx(Process.Start(info)!, folder, port);
        await nginx.WaitListeningAsync();
        return nginx;
    }

    private static string Replace(string text, string what, string with) =>
        text.Contains(what, StringComparison.Ordinal)
            ? text.Replace(what, with, StringComparison.Ordinal)
            : throw new InvalidOperationException($"docs/examples/nginx-monitorconsole.conf no longer contains '{what.Trim()}': update the test with the example");

    private async Task WaitListeningAsync()
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited ({_process.ExitCode}): {await _process.StandardError.ReadToEndAsync()} {ErrorLog()}");
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Not listening yet.
            }
        }
        throw new TimeoutException($"nginx did not listen on {Port}: {ErrorLog()}");
    }

    public string ErrorLog()
    {
        var path = Path.Combine(_folder, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
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

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>Monitoring on a fresh SQLite file, with a fake clock unless a real one is asked for.</summary>
public sealed class MonitoringFixture : IAsyncDisposable
{
    private IHost _host;
    private bool _started;
    private readonly Action<MonitoringOptions>? _configure;
    private readonly bool _withScheduler;
    private readonly string? _database;
    private readonly TimeProvider _clock;

    /// <param name="database">A server database (URL or connection string) instead of the fixture's own SQLite file.</param>
    public MonitoringFixture(Action<MonitoringOptions>? configure = null, bool withScheduler = false, TimeProvider? clock = null, string? database = null)
    {
        _database = database;
        Folder = Path.Combine(Path.GetTempPath(), "mc-monitoring-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(5) };
        _clock = clock ?? Clock;
        _configure = configure;
        _withScheduler = withScheduler;
        _host = Build();
    }

    private IServiceProvider Services => _host.Services;

    public string Folder { get; }
    public FakeTimeProvider Clock { get; }
    public ModelConfigService Models => Services.GetRequiredService<ModelConfigService>();
    public ObservationService Observations => Services.GetRequiredService<ObservationService>();
    public DriftRunner Runner => Services.GetRequiredService<DriftRunner>();
    public RunHistory History => Services.GetRequiredService<RunHistory>();
    public RunReports Reports => Services.GetRequiredService<RunReports>();
    public Storage.MonitoringDatabase Database => Services.GetRequiredService<Storage.MonitoringDatabase>();
    public AuditQueries Audit => Services.GetRequiredService<AuditQueries>();
    public Audit.Chain.ChainVerifier Verifier => Services.GetRequiredService<Audit.Chain.ChainVerifier>();
    public Demo.DemoData Demo => Services.GetRequiredService<Demo.DemoData>();
    public Access.ApiKeyService ApiKeys => Services.GetRequiredService<Access.ApiKeyService>();
    public Access.LedgerOperations Ledger => Services.GetRequiredService<Access.LedgerOperations>();
    public RunHistoryExporter RunExporter => Services.GetRequiredService<RunHistoryExporter>();
    public Alerts.AlertDeliveryWorker Deliveries => Services.GetRequiredService<Alerts.AlertDeliveryWorker>();
    public Alerts.RunAlerts Alerts => Services.GetRequiredService<Alerts.RunAlerts>();

    /// <summary>Another delivery worker on the same database, as a second node would have.</summary>
    public Alerts.AlertDeliveryWorker NewDeliveryWorker() => ActivatorUtilities.CreateInstance<Alerts.AlertDeliveryWorker>(Services);
    public ObservationRetention Retention => Services.GetRequiredService<ObservationRetention>();

    /// <summary>A scope, as one web request or circuit has (accounts need one).</summary>
    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    public async Task StartHostedServicesAsync()
    {
        await _host.StartAsync();
        _started = true;
    }

    /// <summary>Stops and rebuilds the services on the same database, as a restarted host would.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _host = Build();
    }

    public async Task<ModelConfigView> CreateModelAsync(string modelId = "credit_risk", string[]? features = null,
        IReadOnlyList<string>? webhooks = null, string? output = null)
    {
        var view = await Models.ConfigureAsync(Callers.Scientist("alice"), new ModelConfigInput
        {
            ModelId = modelId,
            ModelVersion = "2.1.0",
            Schedule = ScheduleKind.Daily,
            Features = features ?? ["age", "income"],
            Webhooks = webhooks ?? [],
            OutputColumn = output,
        });
        await Models.ReplaceBaselineAsync(Callers.Scientist("alice"), modelId, Csv(Data.Baseline(output is not null)));
        return view;
    }

    public static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    private IHost Build()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services
        .AddSingleton(_clock)
        .AddMonitoring(o =>
        {
            o.AllowInsecureWebhooks = true;
            o.AllowPrivateWebhookTargets = true;
            o.WebhookBackoff = TimeSpan.FromMilliseconds(1);
            o.DefaultTimeZone = "UTC";
            _configure?.Invoke(o);
        }, _withScheduler, _database is null ? null : global::MonitorConsole.Audit.Storage.DatabaseTarget.Parse(_database))
        .Configure<Audit.AuditOptions>(o =>
        {
            o.Database = _database ?? $"sqlite:///{Path.Combine(Folder, "console.db")}";
            o.Checkpoints.SigningKeyFile = Path.Combine(Folder, "keys", "signing.pem");
            o.Checkpoints.PublicKeysDirectory = Path.Combine(Folder, "keys", "trusted");
        });
        return builder.Build();
    }

    private async Task StopAsync()
    {
        if (_started) await _host.StopAsync();
        _started = false;
        _host.Dispose();
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
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

/// <summary>Test data builders.</summary>
public static class Data
{
    public static string Baseline(bool withOutput = false) =>
        (withOutput ? "age,income,score\n" : "age,income\n") + string.Join('\n', Enumerable.Range(0, 200).Select(i =>
            $"{20 + i % 40},{30000 + i * 97 % 50000}" + (withOutput ? $",{i % 10 / 10.0:0.0}" : "")));

    /// <summary>Rows like the baseline (shift 0) or drifted (ages shifted up by <paramref name="ageShift"/>).</summary>
    public static ObservationBatch Rows(int count, int ageShift = 0) => new(
        new Dictionary<string, string?[]>
        {
            ["age"] = [.. Enumerable.Range(0, count).Select(i => (20 + i % 40 + ageShift).ToString(System.Globalization.CultureInfo.InvariantCulture))],
            ["income"] = [.. Enumerable.Range(0, count).Select(i => (30000 + i * 97 % 50000).ToString(System.Globalization.CultureInfo.InvariantCulture))],
        }, [], []);
}

/// <summary>A local HTTP endpoint that records what is posted to it.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<string> _bodies = [];
    public WebhookReceiver(int status = 200)
    {
        Status = status;
        Url = $"http://127.0.0.1:{FreePort()}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>The HTTP status it answers with; may be changed while it runs.</summary>
    public int Status { get; set; }

    public IReadOnlyList<string> Bodies
    {
        get { lock (_bodies) return [.. _bodies]; }
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var body = await reader.ReadToEndAsync();
                lock (_bodies) _bodies.Add(body);
            }
            context.Response.StatusCode = Status;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Alerts;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;
using MonitorConsole.Monitoring.Scheduling;
using MonitorConsole.Monitoring.Storage;
using Quartz;

namespace MonitorConsole.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>
    /// Drift monitoring on the ledger's database: model configurations, observations, runs, alerts, history. With
    /// <paramref name="withScheduler"/>, Quartz runs each enabled model on its schedule as a hosted service.
    /// </summary>
    /// <param name="database">
    /// The ledger's database, when known at start-up: on PostgreSQL the scheduler keeps its jobs in the same database
    /// on Quartz's clustered store, so several console instances run each check once between them.
    /// </param>
    public static IServiceCollection AddMonitoring(
        this IServiceCollection services, Action<MonitoringOptions>? configure = null, bool withScheduler = true,
        Audit.Storage.DatabaseTarget? database = null)
    {
        services.AddAudit();
        var options = services.AddOptions<MonitoringOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddLogging();
        services.AddHttpClient(AlertDispatcher.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowInternal = sp.GetRequiredService<IOptions<MonitoringOptions>>().Value.AllowPrivateWebhookTargets;
                return new SocketsHttpHandler
                {
                    ConnectCallback = (context, ct) => WebhookTargets.ConnectAsync(context, allowInternal, ct),
                    AllowAutoRedirect = false,
                    UseProxy = false,
                };
            });
        services.TryAddSingleton<MonitoringDatabase>();
        services.TryAddSingleton<ModelConfigService>();
        services.TryAddSingleton<ObservationService>();
        services.TryAddSingleton<BaselineCache>();
        services.TryAddSingleton<ObservationRetention>();
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddSingleton<AlertOutboxSignal>();
        services.TryAddSingleton<AlertDeliveryWorker>();
        services.TryAddSingleton<EmailSender>();
        services.TryAddSingleton<RunAlerts>();
        // Delivers alerts wherever the host runs, scheduler or not (manual runs alert too); the command line has no host.
        services.AddHostedService<AlertDeliveryLoop>();
        services.TryAddSingleton<DriftRunner>();
        services.TryAddSingleton<Operations.DriftMetrics>();
        services.TryAddSingleton<Operations.DatabaseSchema>();
        services.TryAddSingleton<RunHistory>();
        services.TryAddSingleton<RunReports>();
        services.TryAddSingleton<RunHistoryExporter>();
        services.TryAddSingleton<DriftScheduleSync>();
        services.TryAddSingleton<Demo.DemoData>();
        services.AddAccess();
        if (withScheduler)
        {
            services.AddQuartz(q =>
            {
                // On a server database every node shares Quartz's clustered store, so each slot runs once in the
                // cluster; SQLite is one machine's file, where the in-memory store suffices.
                if (database is null || database.Provider == Audit.Storage.DatabaseProvider.Sqlite) return;
                q.UseInstanceIdGenerator(new ClusterNodeId());
                q.UsePersistentStore(store =>
                {
                    switch (database.Provider)
                    {
                        case Audit.Storage.DatabaseProvider.PostgreSql: store.UsePostgres(database.ConnectionString); break;
                        case Audit.Storage.DatabaseProvider.MySql: store.UseMySqlConnector(database.ConnectionString); break;
                        case Audit.Storage.DatabaseProvider.SqlServer: store.UseSqlServer(database.ConnectionString); break;
                    }
                    store.UseSystemTextJsonSerializer();
                    store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(5));
                    store.ProvisionSchema();
                });
            });
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            services.AddHostedService(sp => sp.GetRequiredService<DriftScheduleSync>());
            services.AddHostedService<CheckpointSchedule>();
            services.AddHostedService(sp => sp.GetRequiredService<ObservationRetention>());
        }
        return services;
    }

    /// <summary>Each scheduler node's name in the cluster: host, process and a random part, so restarts never collide.</summary>
    private sealed class ClusterNodeId : Quartz.Extensibility.IInstanceIdGenerator
    {
        public ValueTask<string> GenerateInstanceId(CancellationToken cancellationToken = default) =>
            ValueTask.FromResult($"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
    }
}

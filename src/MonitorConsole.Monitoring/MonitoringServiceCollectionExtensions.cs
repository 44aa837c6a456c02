using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MonitorConsole.Audit;
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
    public static IServiceCollection AddMonitoring(
        this IServiceCollection services, Action<MonitoringOptions>? configure = null, bool withScheduler = true)
    {
        services.AddAudit();
        var options = services.AddOptions<MonitoringOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddLogging();
        services.AddHttpClient(AlertDispatcher.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<MonitoringDatabase>();
        services.TryAddSingleton<ModelConfigService>();
        services.TryAddSingleton<ObservationService>();
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddSingleton<DriftRunner>();
        services.TryAddSingleton<RunHistory>();
        services.TryAddSingleton<RunHistoryExporter>();
        services.TryAddSingleton<DriftScheduleSync>();
        services.TryAddSingleton<Demo.DemoData>();
        if (withScheduler)
        {
            services.AddQuartz();
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
            services.AddHostedService(sp => sp.GetRequiredService<DriftScheduleSync>());
        }
        return services;
    }
}

using System.Diagnostics.Metrics;
using MonitorConsole.Audit.Operations;
using MonitorConsole.Monitoring.Operations;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MonitorConsole.Web.Operations;

/// <summary>Running the console: log format, the schema at start, health endpoints, and Prometheus metrics.</summary>
public static class ConsoleOperations
{
    public static void AddConsoleOperations(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(OperationsOptions.Section).Get<OperationsOptions>() ?? new OperationsOptions();
        builder.Services.AddSingleton(options);
        ConsoleLogFormat.Apply(builder.Logging, options.LogFormat);
        builder.Services.AddHostedService<SchemaGate>();
        builder.Services.AddHealthChecks().AddCheck<SchemaHealthCheck>("database_schema");
        if (!options.Metrics.Enabled) return;

        builder.Services.AddSingleton(new MetricsNetworks(options.Metrics.AllowedNetworks));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("monitorconsole"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(LedgerMetrics.MeterName, DriftMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                ((IDeferredMeterProviderBuilder)metrics).Configure((services, b) => b.AddView(OnlyThisHost(services.GetRequiredService<IMeterFactory>())));
            });
    }

    /// <summary>
    /// Meters are process-wide by name; an instrument made by another host's meter factory in the same process (tests
    /// run many consoles side by side) is not this console's, and would otherwise be reported as if it were.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisHost(IMeterFactory factory) =>
        instrument => instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, factory) ? MetricStreamConfiguration.Drop : null;

    public static void MapConsoleOperations(this WebApplication app)
    {
        HealthEndpoints.Map(app);
        var options = app.Services.GetRequiredService<OperationsOptions>();
        if (!options.Metrics.Enabled) return;
        app.MapPrometheusScrapingEndpoint(options.Metrics.Path, meterProvider: null, configureBranchedPipeline: scrape => scrape.Use(MetricsNetworks.GuardAsync), optionsName: null)
            .AllowAnonymous();
    }
}

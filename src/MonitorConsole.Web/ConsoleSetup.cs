using System.Text.Json;
using System.Text.Json.Serialization;
using MonitorConsole.Audit;
using MonitorConsole.Monitoring;
using MonitorConsole.Web.Access;
using MonitorConsole.Web.Api;
using MonitorConsole.Web.Hosting;
using MudBlazor.Services;

namespace MonitorConsole.Web;

/// <summary>How the console host is put together: configuration, services, and the JSON style of the API.</summary>
public static class ConsoleSetup
{
    /// <summary>
    /// In Development the repository's top-level appsettings.Development.json is read too (dotnet run's content root
    /// is the project folder, so the file there is not found on its own).
    /// </summary>
    public static void AddConsoleConfiguration(this WebApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment()) return;
        var root = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, "..", ".."));
        var top = Path.Combine(root, "appsettings.Development.json");
        if (!File.Exists(top)) return;
        builder.Configuration.AddJsonFile(top, optional: true, reloadOnChange: false);
        // dotnet run starts in the project folder; keep the default ledger where the CLI, run from the repository,
        // finds it too: <repository>/data/audit.db.
        if (builder.Configuration["Audit:DefaultSqlitePath"] is { } path && !Path.IsPathRooted(path))
            builder.Configuration["Audit:DefaultSqlitePath"] = Path.Combine(root, path);
    }

    public static IServiceCollection AddConsoleServices(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddAudit(o =>
        {
            configuration.GetSection("Audit").Bind(o);
            o.Database ??= configuration.GetConnectionString("Audit");
        });
        // Resolved once here as well, so that on PostgreSQL the scheduler can share the database (clustered store).
        var ledger = new AuditOptions();
        configuration.GetSection("Audit").Bind(ledger);
        ledger.Database ??= configuration.GetConnectionString("Audit");
        services.AddMonitoring(o => configuration.GetSection("Monitoring").Bind(o),
            withScheduler: configuration.GetValue("Monitoring:SchedulerEnabled", true),
            database: Audit.Storage.AuditDatabase.Resolve(ledger));
        services.AddConsoleHosting(configuration);
        services.AddConsoleAccess(configuration, environment);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddSingleton<LastVerification>();
        services.AddSingleton<ChainPassCache>();
        services.AddHostedService<Operations.SearchIndexing>();
        services.AddConsoleOpenApi();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        services.AddHealthChecks().AddCheck<ConsoleHealthCheck>("database_and_scheduler");
        return services;
    }

    /// <summary>The API speaks snake_case with enums as upper-case strings, as the CLI and the docs do.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper));
    }
}

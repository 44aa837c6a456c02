using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The audit ledger: database, writer (group commit), verifier, queries, exporter and rollback.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, Action<AuditOptions>? configure = null)
    {
        var options = services.AddOptions<AuditOptions>();
        if (configure is not null) options.Configure(configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AuditDatabase>();
        services.TryAddSingleton<Microsoft.EntityFrameworkCore.IDbContextFactory<AuditDbContext>>(
            sp => sp.GetRequiredService<AuditDatabase>());
        // One writer per process: its gate and queue are what make group commit work.
        services.TryAddSingleton<AuditWriter>();
        services.TryAddSingleton<ChainVerifier>();
        services.TryAddSingleton<AuditQueries>();
        services.TryAddSingleton<Search.SearchIndexer>();
        services.TryAddSingleton<AuditExporter>();
        services.TryAddSingleton<RollbackService>();
        services.TryAddSingleton<ErasureService>();
        services.TryAddSingleton<Merkle.LedgerProofs>();
        services.TryAddSingleton<Checkpoints.CheckpointKeys>();
        services.TryAddSingleton<Checkpoints.CheckpointService>();
        services.TryAddSingleton<Evidence.EvidencePacks>();
        services.AddHttpClient(Checkpoints.TimestampAuthority.HttpClientName);
        services.TryAddSingleton<Checkpoints.TimestampAuthority>();
        services.TryAddSingleton<Operations.LedgerMetrics>();
        services.TryAddSingleton<Operations.LedgerBackup>();
        return services;
    }
}

using Microsoft.Extensions.Diagnostics.HealthChecks;
using MonitorConsole.Monitoring.Operations;

namespace MonitorConsole.Web.Operations;

/// <summary>
/// Ready only when every module's migrations are applied. Once they are, this binary's schema cannot fall behind again,
/// so later checks skip the lookup.
/// </summary>
internal sealed class SchemaHealthCheck(DatabaseSchema schema) : IHealthCheck
{
    private volatile bool _upToDate;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (_upToDate) return HealthCheckResult.Healthy("migrated");
        IReadOnlyList<ModuleMigration> pending;
        try
        {
            pending = await schema.PendingAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", ex);
        }
        if (pending.Count > 0)
            return HealthCheckResult.Unhealthy($"{pending.Count} migration(s) pending: run `monitorconsole migrate`", null,
                new Dictionary<string, object> { ["pending"] = pending.Select(m => $"{m.Module} {m.Migration}").ToArray() });
        _upToDate = true;
        return HealthCheckResult.Healthy("migrated");
    }
}

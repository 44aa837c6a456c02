using Microsoft.Extensions.Diagnostics.HealthChecks;
using MonitorConsole.Monitoring.Operations;

namespace MonitorConsole.Web.Operations;

/// <summary>
/// Ready only when every module's migrations are applied. A schema found up to date is looked at again after a minute:
/// a database restored from an older backup under a running node falls behind without the node changing.
/// </summary>
internal sealed class SchemaHealthCheck(DatabaseSchema schema, TimeProvider clock) : IHealthCheck
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);
    private long _upToDateAt = -1;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var seen = Interlocked.Read(ref _upToDateAt);
        if (seen >= 0 && clock.GetElapsedTime(seen) < Recheck) return HealthCheckResult.Healthy("migrated");
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
        Interlocked.Exchange(ref _upToDateAt, clock.GetTimestamp());
        return HealthCheckResult.Healthy("migrated");
    }
}

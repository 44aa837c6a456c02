using Microsoft.Extensions.Diagnostics.HealthChecks;
using MonitorConsole.Audit.Queries;
using Quartz;

namespace MonitorConsole.Web.Api;

/// <summary>Healthy when the ledger's database answers and, where one runs, the scheduler is started.</summary>
internal sealed class ConsoleHealthCheck(AuditQueries audit, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var data = new Dictionary<string, object>();
        try
        {
            data["ledger_entries"] = (await audit.GetSummaryAsync(ct)).ChainLength;
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the database does not answer", ex, data);
        }
        if (services.GetService<ISchedulerFactory>() is { } factory)
        {
            var scheduler = await factory.GetScheduler(ct);
            data["scheduler"] = scheduler.Status.ToString().ToLowerInvariant();
            if (scheduler.Status != SchedulerStatus.Running) return HealthCheckResult.Degraded("the scheduler is not running", null, data);
        }
        else
        {
            data["scheduler"] = "disabled";
        }
        return HealthCheckResult.Healthy("ok", data);
    }
}

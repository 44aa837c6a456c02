using System.Net;
using MonitorConsole.Audit.Operations;
using MonitorConsole.Audit;
using MonitorConsole.Web.Access;

namespace MonitorConsole.Web.Operations;

/// <summary>
/// Who may scrape: callers from Operations:Metrics:AllowedNetworks, nobody else — a network rule rather than a key,
/// because that is what Prometheus is usually given, and the figures (counts, ages) say little to anyone else.
/// </summary>
internal sealed class MetricsNetworks
{
    private readonly IPNetwork[] _networks;

    public MetricsNetworks(IEnumerable<string> networks)
    {
        _networks = networks.Select(n => Hosting.NetworkSettings.Network(n, $"{OperationsOptions.Section}:Metrics:AllowedNetworks")).ToArray();
    }

    public bool Allows(IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return _networks.Any(n => n.Contains(address));
    }

    /// <summary>Refuses callers from elsewhere; for the others, reads the ledger's head once, asynchronously, before the exporter collects.</summary>
    public static async Task GuardAsync(HttpContext context, Func<Task> next)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<MetricsNetworks>().Allows(context.Connection.RemoteIpAddress))
        {
            await ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
                "metrics are served only to the networks in Operations:Metrics:AllowedNetworks");
            return;
        }
        try
        {
            await services.GetRequiredService<LedgerMetrics>().RefreshAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The ledger's gauges go absent for this scrape; the other metrics are still worth having.
            services.GetRequiredService<ILogger<MetricsNetworks>>().LogWarning(ex, "Could not read the ledger's head for the metrics");
        }
        await next();
    }
}

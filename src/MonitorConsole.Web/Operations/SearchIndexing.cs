using Microsoft.Extensions.Options;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Search;

namespace MonitorConsole.Web.Operations;

/// <summary>
/// Runs the ledger's search indexer every Audit:Search:Interval, after appends have committed, so appends never wait
/// for it. The index then trails the chain by at most what was appended since the last pass (the pages say how much).
/// </summary>
internal sealed class SearchIndexing(SearchIndexer indexer, IOptions<AuditOptions> options, TimeProvider clock,
    ILogger<SearchIndexing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Search.Interval;
        if (interval <= TimeSpan.Zero) return;
        await Task.Yield();
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                var indexed = await indexer.CatchUpAsync(stoppingToken);
                if (indexed > 0) logger.LogDebug("Search index: {Count} entries indexed", indexed);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The search index could not catch up; it will try again in {Interval}", interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

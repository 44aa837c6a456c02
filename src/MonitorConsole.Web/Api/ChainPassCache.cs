using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Web.Api;

/// <summary>
/// Answers that need a pass over the whole chain — ledger statistics, checking the newest checkpoint — shared by all
/// callers, so that asking again and again (a read-only API key in a loop, say) cannot keep the server busy:
/// <list type="bullet">
/// <item>a finished result is reused while the chain head (length and newest entry hash) is unchanged — any append,
/// rollbacks included, moves the head — and for at most <see cref="MaxReuse"/>: tampering that leaves the head alone
/// (a planted row, an entry rewritten with the guards off) shows in the next pass after that;</item>
/// <item>at most one pass of a kind runs at a time: whoever asks while it runs waits for it and gets its answer, which
/// may therefore lag the entries appended while it ran (the answer says how long a chain it covers).</item>
/// </list>
/// The pass itself does not stop when one waiting caller gives up; it stops when the application disposes the cache.
/// </summary>
public sealed class ChainPassCache(AuditQueries queries, TimeProvider clock) : IDisposable
{
    /// <summary>How long a finished pass answers for an unchanged head.</summary>
    public static readonly TimeSpan MaxReuse = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Pass> _passes = new(StringComparer.Ordinal);

    /// <param name="kind">What is computed (one pass of a kind at a time), e.g. "stats".</param>
    /// <param name="version">
    /// What the answer depends on besides the chain head, e.g. which checkpoint is checked; a different version never
    /// shares a pass or a result.
    /// </param>
    /// <param name="compute">The pass; it gets a token that ends with the cache (the application), not with the caller.</param>
    /// <param name="ct">The caller's own wait.</param>
    public async Task<T> GetAsync<T>(string kind, string version, Func<CancellationToken, Task<T>> compute, CancellationToken ct = default)
        where T : class
    {
        var head = await queries.GetSummaryAsync(ct);
        Task<object> work;
        lock (_gate)
        {
            if (_passes.TryGetValue(kind, out var pass) && pass.Version == version && Reusable(pass, head))
            {
                work = pass.Work;
            }
            else
            {
                work = RunAsync(compute);
                _passes[kind] = new Pass(version, head.ChainLength, head.LastEntryHash, clock.GetUtcNow(), work);
            }
        }
        return (T)await work.WaitAsync(ct);
    }

    private bool Reusable(Pass pass, LedgerSummary head) => pass.Work.Status switch
    {
        TaskStatus.RanToCompletion => pass.ChainLength == head.ChainLength && pass.HeadHash == head.LastEntryHash
                                      && clock.GetUtcNow() - pass.Started < MaxReuse,
        TaskStatus.Faulted or TaskStatus.Canceled => false,
        _ => true,
    };

    private async Task<object> RunAsync<T>(Func<CancellationToken, Task<T>> compute) where T : class
    {
        // Leave the lock before the pass starts.
        await Task.Yield();
        return await compute(_stopping.Token);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed record Pass(string Version, long ChainLength, string? HeadHash, DateTimeOffset Started, Task<object> Work);
}

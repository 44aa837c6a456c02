using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Web.Api;

namespace MonitorConsole.Web.Tests;

/// <summary>Full passes over the chain (statistics, checkpoint checks) are shared and reused while the head stands still.</summary>
public sealed class ChainPassCacheTests : IAsyncDisposable
{
    private readonly ConsoleFactory _factory = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AnUnchangedHead_ReusesTheResult_AndAnAppendStartsANewPass()
    {
        var (cache, passes) = Cache();
        var first = await cache.GetAsync("stats", "", ct => passes.RunAsync(ct));
        var second = await cache.GetAsync("stats", "", ct => passes.RunAsync(ct));
        Assert.Equal(1, passes.Count);
        Assert.Same(first, second);

        await AppendAsync();
        var third = await cache.GetAsync("stats", "", ct => passes.RunAsync(ct));
        Assert.Equal(2, passes.Count);
        Assert.NotSame(first, third);
    }

    [Fact]
    public async Task AnUnchangedHead_IsPassedAgain_OnceTheReuseWindowHasEnded()
    {
        // Tampering that leaves the head alone (a planted row, a rewritten middle entry) must show up in time.
        var (cache, passes) = Cache();
        await cache.GetAsync("stats", "", ct => passes.RunAsync(ct));
        _clock.Advance(ChainPassCache.MaxReuse - TimeSpan.FromSeconds(1));
        await cache.GetAsync("stats", "", ct => passes.RunAsync(ct));
        Assert.Equal(1, passes.Count);

        _clock.Advance(TimeSpan.FromSeconds(2));
        await cache.GetAsync("stats", "", ct => passes.RunAsync(ct));
        Assert.Equal(2, passes.Count);
    }

    [Fact]
    public async Task ConcurrentCallers_ShareOnePass()
    {
        var (cache, passes) = Cache();
        passes.Hold();
        var callers = Enumerable.Range(0, 8).Select(_ => cache.GetAsync("stats", "", ct => passes.RunAsync(ct))).ToList();
        await passes.StartedAsync();
        await AppendAsync(); // a newer head while the pass runs: callers join it rather than start another
        callers.Add(cache.GetAsync("stats", "", ct => passes.RunAsync(ct)));
        passes.Release();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, passes.Count);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public async Task ADifferentVersion_NeverSharesAResult()
    {
        var (cache, passes) = Cache();
        var a = await cache.GetAsync("checkpoint-check", "signature-a", ct => passes.RunAsync(ct));
        var b = await cache.GetAsync("checkpoint-check", "signature-b", ct => passes.RunAsync(ct));
        Assert.Equal(2, passes.Count);
        Assert.NotSame(a, b);
    }

    [Fact]
    public async Task ACallerGivingUp_DoesNotCancelThePassForTheOthers()
    {
        var (cache, passes) = Cache();
        passes.Hold();
        using var impatient = new CancellationTokenSource();
        var gaveUp = cache.GetAsync("stats", "", ct => passes.RunAsync(ct), impatient.Token);
        var waiting = cache.GetAsync("stats", "", ct => passes.RunAsync(ct));
        await passes.StartedAsync();
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        passes.Release();

        Assert.NotNull(await waiting);
        Assert.Equal(1, passes.Count);
    }

    [Fact]
    public async Task AFailedPass_IsNotKept()
    {
        var (cache, passes) = Cache();
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync<object>("stats", "", _ => throw new InvalidOperationException("disk")));
        Assert.NotNull(await cache.GetAsync("stats", "", ct => passes.RunAsync(ct)));
        Assert.Equal(1, passes.Count);
    }

    private (ChainPassCache Cache, CountingPass Passes) Cache()
    {
        using var _ = _factory.CreateClient();
        return (new ChainPassCache(_factory.Services.GetRequiredService<AuditQueries>(), _clock), new CountingPass());
    }

    private Task AppendAsync() =>
        _factory.Services.GetRequiredService<AuditWriter>().AppendAsync(new AuditEntryDraft("TEST", "tests", "t", null, null));

    /// <summary>A stand-in for a full pass: counts how often it runs, and can be held until released.</summary>
    private sealed class CountingPass
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _hold;
        private int _count;

        public int Count => _count;

        public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _hold?.TrySetResult();

        public Task StartedAsync() => _started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        public async Task<object> RunAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref _count);
            _started.TrySetResult();
            if (_hold is { } hold) await hold.Task.WaitAsync(ct);
            return new object();
        }
    }
}

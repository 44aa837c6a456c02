using System.Diagnostics.Metrics;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Audit.Operations;

/// <summary>
/// The ledger's operational facts as metrics (meter <see cref="MeterName"/>): entries this process appended, and
/// gauges for the ledger's size, the newest whole-chain verification and the newest checkpoint. The gauges read the
/// chain head and the newest checkpoint row — never a pass over the chain — and reuse what they read for
/// <see cref="SnapshotLifetime"/>, so a scraper asking often costs the database two indexed lookups every few seconds.
/// </summary>
public sealed class LedgerMetrics : IDisposable
{
    public const string MeterName = "MonitorConsole.Audit";

    /// <summary>How long one reading of the head and the newest checkpoint answers the gauges.</summary>
    public static readonly TimeSpan SnapshotLifetime = TimeSpan.FromSeconds(5);

    private readonly AuditQueries _queries;
    private readonly CheckpointService _checkpoints;
    private readonly TimeProvider _clock;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _appended;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private volatile LedgerSnapshot? _snapshot;
    private volatile VerificationOutcome? _lastVerification;

    /// <param name="meterFactory">The host's meter factory; without one (the command line) the meter is private and nobody listens.</param>
    public LedgerMetrics(AuditQueries queries, CheckpointService checkpoints, TimeProvider clock, IMeterFactory? meterFactory = null)
    {
        _queries = queries;
        _checkpoints = checkpoints;
        _clock = clock;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _appended = _meter.CreateCounter<long>("monitorconsole.audit.entries.appended", "{entry}",
            "Entries this process appended to the ledger (rate() of it is the append rate)");
        _meter.CreateObservableGauge("monitorconsole.audit.ledger.entries", () => Observe(s => (long?)s.Entries), "{entry}",
            "Entries in the ledger (the chain head's sequence)");
        _meter.CreateObservableGauge("monitorconsole.audit.ledger.last_append.age", () => Observe(s => AgeSeconds(s.LastAppendAt)), "s",
            "Seconds since the newest entry was appended");
        _meter.CreateObservableGauge("monitorconsole.audit.checkpoint.age", () => Observe(s => AgeSeconds(s.CheckpointAt)), "s",
            "Seconds since the newest signed checkpoint was made");
        _meter.CreateObservableGauge("monitorconsole.audit.checkpoint.entries", () => Observe(s => s.CheckpointEntries), "{entry}",
            "Entries the newest signed checkpoint covers");
        _meter.CreateObservableGauge("monitorconsole.audit.verification.valid", () => ObserveVerification(v => v.Valid ? 1 : 0), "",
            "1 when the newest whole-chain verification in this process found the chain valid, 0 when it found tampering");
        _meter.CreateObservableGauge("monitorconsole.audit.verification.age", () => ObserveVerification(v => AgeSeconds(v.At) ?? 0), "s",
            "Seconds since the newest whole-chain verification in this process");
        _meter.CreateObservableGauge("monitorconsole.audit.verification.entries", () => ObserveVerification(v => (double)v.Entries), "{entry}",
            "Entries the newest whole-chain verification in this process covered");
    }

    /// <summary>Called by the writer once a transaction holding <paramref name="count"/> entries has committed.</summary>
    public void Appended(long count)
    {
        if (count > 0) _appended.Add(count);
    }

    /// <summary>
    /// Remembers a verification's outcome for the gauges. Only whole-chain verifications count: a range says nothing
    /// about the rest of the chain.
    /// </summary>
    public void Verified(VerificationResult result, VerificationScope scope)
    {
        if (scope != VerificationScope.WholeChain) return;
        _lastVerification = new VerificationOutcome(result.Valid, result.TotalEntries, _clock.GetUtcNow());
    }

    /// <summary>Reads the head and the newest checkpoint now (the metrics endpoint calls this before it collects).</summary>
    public async Task RefreshAsync(CancellationToken ct = default)
    {
        await _refreshGate.WaitAsync(ct);
        try
        {
            if (IsFresh(_snapshot)) return;
            var summary = await _queries.GetSummaryAsync(ct);
            var checkpoint = await _checkpoints.LatestAsync(ct);
            _snapshot = new LedgerSnapshot(
                summary.ChainLength,
                summary.LastTimestamp is { } last ? new DateTimeOffset(DateTime.SpecifyKind(last, DateTimeKind.Utc)) : null,
                checkpoint?.TreeSize,
                checkpoint is not null && HashSpec.TryParseTimestamp(checkpoint.Timestamp, out var signed)
                    ? new DateTimeOffset(DateTime.SpecifyKind(signed, DateTimeKind.Utc)) : null,
                _clock.GetUtcNow());
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    private bool IsFresh(LedgerSnapshot? snapshot) => snapshot is not null && _clock.GetUtcNow() - snapshot.ReadAt < SnapshotLifetime;

    /// <summary>
    /// A gauge's value from the snapshot, read again first when stale. A database that does not answer yields no
    /// measurement (the series goes absent) rather than a made-up number; readiness reports the database itself.
    /// </summary>
    private IEnumerable<Measurement<T>> Observe<T>(Func<LedgerSnapshot, T?> value) where T : struct
    {
        var snapshot = _snapshot;
        if (!IsFresh(snapshot))
        {
            try
            {
                // Observable callbacks are synchronous; the metrics endpoint refreshes asynchronously beforehand,
                // so this only blocks for readers that did not.
                RefreshAsync().GetAwaiter().GetResult();
                snapshot = _snapshot;
            }
            catch (Exception)
            {
                return [];
            }
        }
        return snapshot is not null && value(snapshot) is { } v ? [new Measurement<T>(v)] : [];
    }

    private IEnumerable<Measurement<T>> ObserveVerification<T>(Func<VerificationOutcome, T> value) where T : struct =>
        _lastVerification is { } outcome ? [new Measurement<T>(value(outcome))] : [];

    private double? AgeSeconds(DateTimeOffset? at) => at is { } t ? Math.Max(0, (_clock.GetUtcNow() - t).TotalSeconds) : null;

    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
        _refreshGate.Dispose();
    }

    private sealed record LedgerSnapshot(long Entries, DateTimeOffset? LastAppendAt, long? CheckpointEntries, DateTimeOffset? CheckpointAt, DateTimeOffset ReadAt);

    private sealed record VerificationOutcome(bool Valid, long Entries, DateTimeOffset At);
}

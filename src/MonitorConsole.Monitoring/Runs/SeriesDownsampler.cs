namespace MonitorConsole.Monitoring.Runs;

/// <summary>One point of a metric's history: the run it came from, so a click can open that run.</summary>
public sealed record SeriesPoint(DateTime Timestamp, double Value, string CheckId);

/// <summary>
/// Downsampling by min–max buckets: the series' time span is cut into ⌊max/2⌋ equal buckets and each keeps its lowest
/// and its highest point, in time order. Every spike survives (a bucket's extreme is never averaged away or skipped, as
/// LTTB or averaging could do with a single crossing of a threshold), it runs in one pass over points read in time
/// order, and it never returns more than <c>max</c> points.
/// </summary>
public sealed class SeriesDownsampler
{
    private readonly DateTime _start;
    private readonly double _bucketTicks;
    private readonly int _buckets;
    private readonly List<SeriesPoint> _result;
    private int _bucket = -1;
    private SeriesPoint? _low;
    private SeriesPoint? _high;

    /// <param name="start">The first point's time.</param>
    /// <param name="end">The last point's time.</param>
    /// <param name="count">How many points will be added; at or under <paramref name="max"/> all are kept.</param>
    /// <param name="max">At most this many points come out (at least 2).</param>
    public SeriesDownsampler(DateTime start, DateTime end, int count, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        _start = start;
        _buckets = count <= max ? 0 : max / 2;
        _bucketTicks = _buckets == 0 ? 0 : Math.Max(1, (end - start).Ticks + 1) / (double)_buckets;
        _result = new List<SeriesPoint>(Math.Min(count, max));
    }

    public bool Downsampled => _buckets > 0;

    public void Add(SeriesPoint point)
    {
        if (_buckets == 0)
        {
            _result.Add(point);
            return;
        }
        var bucket = Math.Clamp((int)((point.Timestamp - _start).Ticks / _bucketTicks), 0, _buckets - 1);
        if (bucket != _bucket) Flush();
        _bucket = bucket;
        if (_low is null || point.Value < _low.Value) _low = point;
        if (_high is null || point.Value > _high.Value) _high = point;
    }

    public IReadOnlyList<SeriesPoint> Points()
    {
        Flush();
        return _result;
    }

    private void Flush()
    {
        if (_low is null || _high is null) return;
        if (ReferenceEquals(_low, _high)) _result.Add(_low);
        else if (_low.Timestamp <= _high.Timestamp) { _result.Add(_low); _result.Add(_high); }
        else { _result.Add(_high); _result.Add(_low); }
        _low = _high = null;
    }
}

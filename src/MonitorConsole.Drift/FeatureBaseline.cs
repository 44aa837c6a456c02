namespace MonitorConsole.Drift;

/// <summary>
/// What one feature's baseline contributes to every run, computed once per configuration: the decile bin edges, the
/// baseline's bin shares and sorted values (numeric), or its category counts (categorical).
/// </summary>
public sealed class FeatureBaseline
{
    private FeatureBaseline(string name, FeatureKind kind, int total)
    {
        Name = name;
        Kind = kind;
        Total = total;
    }

    public string Name { get; }
    public FeatureKind Kind { get; }
    public int Total { get; }
    public int Missing { get; private init; }
    public double MissingShare => Total == 0 ? 0 : (double)Missing / Total;

    /// <summary>Numeric: interior bin edges (baseline deciles, duplicates merged); a value v is in bin #edges ≤ v.</summary>
    public double[] Edges { get; private init; } = [];
    public double[] SortedValues { get; private init; } = [];
    public long[] BinCounts { get; private init; } = [];
    public double StandardDeviation { get; private init; }

    /// <summary>Categorical: counts per category seen in the baseline.</summary>
    public IReadOnlyDictionary<string, long> CategoryCounts { get; private init; } = new Dictionary<string, long>();

    public static FeatureBaseline Numeric(string name, double[] values)
    {
        var valid = values.Where(double.IsFinite).ToArray();
        if (valid.Length == 0) throw new DriftInputException(name, "the baseline has no values (all are missing)");
        Array.Sort(valid);
        var edges = new List<double>(9);
        for (var d = 1; d <= 9; d++)
        {
            var edge = DriftMath.Quantile(valid, d / 10.0);
            if (edges.Count == 0 || edge != edges[^1]) edges.Add(edge);
        }
        var edgeArray = edges.ToArray();
        var counts = new long[edgeArray.Length + 1];
        foreach (var v in valid) counts[BinOf(edgeArray, v)]++;
        return new FeatureBaseline(name, FeatureKind.Numeric, values.Length)
        {
            Missing = values.Length - valid.Length,
            Edges = edgeArray,
            SortedValues = valid,
            BinCounts = counts,
            StandardDeviation = DriftMath.PopulationStandardDeviation(valid),
        };
    }

    public static FeatureBaseline Categorical(string name, string?[] values)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var missing = 0;
        foreach (var v in values)
        {
            if (v is null) { missing++; continue; }
            counts[v] = counts.GetValueOrDefault(v) + 1;
        }
        if (counts.Count == 0) throw new DriftInputException(name, "the baseline has no values (all are missing)");
        return new FeatureBaseline(name, FeatureKind.Categorical, values.Length) { Missing = missing, CategoryCounts = counts };
    }

    /// <summary>
    /// One pass over current values: counts per bin, and (when <paramref name="valid"/> is not empty) the non-missing
    /// values copied out for the sample-based metrics. Returns the counts and how many values were not missing.
    /// </summary>
    public (long[] Counts, int Valid) CountBins(ReadOnlySpan<double> values, Span<double> valid)
    {
        var counts = new long[Edges.Length + 1];
        var copy = !valid.IsEmpty;
        var n = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            counts[BinOf(Edges, v)]++;
            if (copy) valid[n] = v;
            n++;
        }
        return (counts, n);
    }

    /// <summary>The number of edges ≤ v, by binary search over at most nine edges.</summary>
    public static int BinOf(double[] edges, double v)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (edges[mid] <= v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}

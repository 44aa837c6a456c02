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
    public long[] BinCounts { get; private set; } = [];
    public double StandardDeviation { get; private init; }

    /// <summary>Categorical: counts per category seen in the baseline.</summary>
    public IReadOnlyDictionary<string, long> CategoryCounts { get; private init; } = new Dictionary<string, long>();

    public static FeatureBaseline Numeric(string name, double[] values)
    {
        var valid = values.Where(double.IsFinite).ToArray();
        if (valid.Length == 0) throw new DriftInputException(name, "the baseline has no values (all are missing)");
        FiniteSort.Sort(valid);
        var edges = new List<double>(9);
        for (var d = 1; d <= 9; d++)
        {
            var edge = DriftMath.Quantile(valid, d / 10.0);
            if (edges.Count == 0 || edge != edges[^1]) edges.Add(edge);
        }
        var edgeArray = edges.ToArray();
        var baseline = new FeatureBaseline(name, FeatureKind.Numeric, values.Length)
        {
            Missing = values.Length - valid.Length,
            Edges = edgeArray,
            SortedValues = valid,
            StandardDeviation = DriftMath.PopulationStandardDeviation(valid),
        };
        baseline.BinCounts = baseline.CountSortedBins(valid);
        return baseline;
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
    /// Counts per bin of values already sorted ascending: bin k holds the values v with edges[k−1] ≤ v &lt; edges[k],
    /// so its count is the difference of two lower bounds — a few binary searches instead of one per value.
    /// </summary>
    public long[] CountSortedBins(ReadOnlySpan<double> sorted)
    {
        var counts = new long[Edges.Length + 1];
        var below = 0;
        for (var k = 0; k < Edges.Length; k++)
        {
            var upTo = LowerBound(sorted, Edges[k]);
            counts[k] = upTo - below;
            below = upTo;
        }
        counts[^1] = sorted.Length - below;
        return counts;
    }

    /// <summary>The number of sorted values below <paramref name="edge"/>.</summary>
    private static int LowerBound(ReadOnlySpan<double> sorted, double edge)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < edge) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}

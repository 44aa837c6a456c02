using System.Runtime.CompilerServices;
namespace MonitorConsole.Drift;

/// <summary>Compares one feature's current values with its prepared baseline, in one pass over the values.</summary>
public static class FeatureDriftCalculator
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static FeatureDrift Numeric(FeatureBaseline baseline, double[] current, DriftThresholds thresholds)
    {
        var valid = GC.AllocateUninitializedArray<double>(current.Length);
        var n = 0;
        foreach (var v in current)
            if (double.IsFinite(v)) valid[n++] = v;
        if (n == 0) throw new DriftInputException(baseline.Name, "the current data has no values (all are missing)");
        var sorted = valid.AsSpan(0, n);
        FiniteSort.Sort(sorted);
        var counts = baseline.CountSortedBins(sorted);

        var bShares = Shares(baseline.BinCounts);
        var cShares = Shares(counts);
        var psi = DriftMath.Psi(bShares, cShares);
        var kl = DriftMath.KlDivergence(bShares, cShares);
        var js = DriftMath.JensenShannonDistance(bShares, cShares);
        var wasserstein = DriftMath.Wasserstein(baseline.SortedValues, sorted) / Math.Max(baseline.StandardDeviation, 0.001);
        var ks = DriftMath.KsStatistic(baseline.SortedValues, sorted);
        var ksP = DriftMath.KsPValue(ks, baseline.SortedValues.Length, n);

        var level = Level(psi, kl, js, thresholds);
        if (thresholds.WassersteinWarning is { } ww && wasserstein >= ww) level = Max(level, AlertLevel.Warning);
        if (thresholds.KsAlpha is { } alpha && ksP < alpha) level = Max(level, AlertLevel.Warning);

        return new FeatureDrift(baseline.Name, FeatureKind.Numeric, psi, kl, js, wasserstein, ks, ksP, null, null,
            baseline.MissingShare, MissingShare(current.Length, n), baseline.SortedValues.Length, n,
            BinLabels(baseline.Edges), bShares, cShares, level);
    }

    internal static FeatureDrift Categorical(FeatureBaseline baseline, string?[] current, DriftThresholds thresholds)
    {
        var currentCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var n = 0;
        foreach (var v in current)
        {
            if (v is null) continue;
            currentCounts[v] = currentCounts.GetValueOrDefault(v) + 1;
            n++;
        }
        if (n == 0) throw new DriftInputException(baseline.Name, "the current data has no values (all are missing)");
        var categories = baseline.CategoryCounts.Keys.Union(currentCounts.Keys).Order(StringComparer.Ordinal).ToArray();
        var bCounts = categories.Select(c => baseline.CategoryCounts.GetValueOrDefault(c)).ToArray();
        var cCounts = categories.Select(c => currentCounts.GetValueOrDefault(c)).ToArray();
        var bShares = Shares(bCounts);
        var cShares = Shares(cCounts);
        var psi = DriftMath.Psi(bShares, cShares);
        var kl = DriftMath.KlDivergence(bShares, cShares);
        var js = DriftMath.JensenShannonDistance(bShares, cShares);
        var (chi2, chi2P) = DriftMath.ChiSquareHomogeneity(bCounts, cCounts);

        var level = Level(psi, kl, js, thresholds);
        if (thresholds.Chi2Alpha is { } alpha && chi2P < alpha) level = Max(level, AlertLevel.Warning);

        return new FeatureDrift(baseline.Name, FeatureKind.Categorical, psi, kl, js, null, null, null, chi2, chi2P,
            baseline.MissingShare, MissingShare(current.Length, n), (int)bCounts.Sum(), n, categories, bShares, cShares,
            level);
    }

    private static AlertLevel Level(double psi, double kl, double js, DriftThresholds t)
    {
        var level = psi >= t.PsiCritical ? AlertLevel.Critical : psi >= t.PsiWarning ? AlertLevel.Warning : AlertLevel.Normal;
        if (t.KlCritical is { } klc && kl >= klc) level = Max(level, AlertLevel.Critical);
        if (t.KlWarning is { } klw && kl >= klw) level = Max(level, AlertLevel.Warning);
        if (t.JsWarning is { } jsw && js >= jsw) level = Max(level, AlertLevel.Warning);
        return level;
    }

    public static AlertLevel Max(AlertLevel a, AlertLevel b) => a >= b ? a : b;

    public static double[] Shares(long[] counts)
    {
        double total = counts.Sum();
        return Array.ConvertAll(counts, c => c / total);
    }

    private static double MissingShare(int total, int valid) => total == 0 ? 0 : (double)(total - valid) / total;

    private static string[] BinLabels(double[] edges)
    {
        var labels = new string[edges.Length + 1];
        for (var i = 0; i <= edges.Length; i++)
        {
            var lower = i == 0 ? "-inf" : edges[i - 1].ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
            var upper = i == edges.Length ? "inf" : edges[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
            labels[i] = $"[{lower}, {upper})";
        }
        return labels;
    }
}

using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace MonitorConsole.Drift;

/// <summary>The metric formulas of drift spec v1 (docs/drift-metrics.md), on shares and on sorted samples.</summary>
public static class DriftMath
{
    /// <summary>What an empty bin's share is replaced with for PSI and KL, on each side separately.</summary>
    public const double EmptyBinShare = 0.0001;

    /// <summary>PSI = Σ (current − baseline) · ln(current / baseline) over shares with empty bins filled.</summary>
    public static double Psi(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current)
    {
        CheckSameLength(baseline, current);
        var sum = 0.0;
        for (var i = 0; i < baseline.Length; i++)
        {
            var b = Fill(baseline[i]);
            var c = Fill(current[i]);
            sum += (c - b) * Math.Log(c / b);
        }
        return sum;
    }

    /// <summary>KL(baseline ‖ current), natural log, over the filled shares renormalised to sum to 1.</summary>
    public static double KlDivergence(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current)
    {
        CheckSameLength(baseline, current);
        double bTotal = 0, cTotal = 0;
        for (var i = 0; i < baseline.Length; i++)
        {
            bTotal += Fill(baseline[i]);
            cTotal += Fill(current[i]);
        }
        var sum = 0.0;
        for (var i = 0; i < baseline.Length; i++)
        {
            var b = Fill(baseline[i]) / bTotal;
            var c = Fill(current[i]) / cTotal;
            sum += b * Math.Log(b / c);
        }
        return sum;
    }

    /// <summary>Jensen–Shannon distance, base 2, over the unfilled shares: in [0, 1].</summary>
    public static double JensenShannonDistance(ReadOnlySpan<double> baseline, ReadOnlySpan<double> current)
    {
        CheckSameLength(baseline, current);
        var divergence = 0.0;
        for (var i = 0; i < baseline.Length; i++)
        {
            var b = baseline[i];
            var c = current[i];
            var m = (b + c) / 2;
            if (b > 0) divergence += 0.5 * b * Math.Log2(b / m);
            if (c > 0) divergence += 0.5 * c * Math.Log2(c / m);
        }
        return Math.Sqrt(Math.Max(divergence, 0));
    }

    /// <summary>numpy's default quantile (linear interpolation between closest ranks) of sorted values.</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        if (sorted.IsEmpty) throw new ArgumentException("no values", nameof(sorted));
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Two-sample Kolmogorov–Smirnov statistic D = sup |F_baseline − F_current| of sorted samples.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double KsStatistic(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0, j = 0;
        double n = a.Length, m = b.Length, d = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            d = Math.Max(d, Math.Abs(i / n - j / m));
        }
        return d;
    }

    /// <summary>
    /// P-value of D from the asymptotic Kolmogorov distribution at λ = D·√(n·m/(n+m)):
    /// Q(λ) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²λ²).
    /// </summary>
    public static double KsPValue(double d, long n, long m)
    {
        var lambda = d * Math.Sqrt((double)n * m / (n + m));
        if (lambda < 0.2) return 1.0; // the series converges slowly here and the sum is 1 to double precision
        var sum = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            sum += (k % 2 == 1 ? term : -term);
            if (term < 1e-17) break;
        }
        return Math.Clamp(2 * sum, 0, 1);
    }

    /// <summary>Wasserstein-1 distance between two sorted samples: ∫ |F_a − F_b| dx.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Wasserstein(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0, j = 0;
        double n = a.Length, m = b.Length, total = 0;
        var previous = Math.Min(a[0], b[0]);
        while (i < a.Length || j < b.Length)
        {
            var x = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            total += Math.Abs(i / n - j / m) * (x - previous);
            previous = x;
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
        }
        return total;
    }

    /// <summary>Pearson chi-square test of homogeneity on a 2 × k table of counts, no continuity correction.</summary>
    public static (double Statistic, double PValue) ChiSquareHomogeneity(ReadOnlySpan<long> baseline, ReadOnlySpan<long> current)
    {
        CheckSameLength(baseline, current);
        double bTotal = 0, cTotal = 0;
        for (var i = 0; i < baseline.Length; i++)
        {
            bTotal += baseline[i];
            cTotal += current[i];
        }
        var total = bTotal + cTotal;
        double statistic = 0;
        var columns = 0;
        for (var i = 0; i < baseline.Length; i++)
        {
            var column = (double)baseline[i] + current[i];
            if (column == 0) continue;
            columns++;
            var eb = bTotal * column / total;
            var ec = cTotal * column / total;
            statistic += (baseline[i] - eb) * (baseline[i] - eb) / eb + (current[i] - ec) * (current[i] - ec) / ec;
        }
        var dof = columns - 1;
        var p = dof <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(dof / 2.0, statistic / 2.0);
        return (statistic, p);
    }

    public static double PopulationStandardDeviation(ReadOnlySpan<double> values)
    {
        var mean = 0.0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        var sum = 0.0;
        foreach (var v in values) sum += (v - mean) * (v - mean);
        return Math.Sqrt(sum / values.Length);
    }

    private static double Fill(double share) => share == 0 ? EmptyBinShare : share;

    private static void CheckSameLength<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("baseline and current need the same number of bins");
    }
}

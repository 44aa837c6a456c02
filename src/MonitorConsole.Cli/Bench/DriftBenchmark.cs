using System.Diagnostics;
using MonitorConsole.Drift;

namespace MonitorConsole.Cli.Bench;

/// <summary>Times the drift targets: binned metrics per value on one core, and a full report on rows × features.</summary>
internal sealed class DriftBenchmark(TextWriter stdout, int rows, int features)
{
    public void Run()
    {
        var random = new Random(42);
        var baseline = new Dictionary<string, FeatureColumn>();
        var current = new Dictionary<string, FeatureColumn>();
        for (var f = 0; f < features; f++)
        {
            baseline[$"f{f}"] = FeatureColumn.Numeric(Normal(random, rows, 0, 1));
            current[$"f{f}"] = FeatureColumn.Numeric(Normal(random, rows, f % 4 == 0 ? 0.5 : 0, 1));
        }
        stdout.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {rows:N0} rows × {features} numeric features");

        var sw = Stopwatch.StartNew();
        var detector = new DriftDetector(baseline, new DriftDetectorOptions());
        stdout.WriteLine($"{"prepare baselines (once per configuration)",-50} {sw.Elapsed.TotalMilliseconds,8:0} ms");

        // Binned metrics on one core: sorting the values (which KS and Wasserstein need too), counting bins on the
        // sorted values, then PSI, KL and JS over the shares.
        var first = detector.Features[0];
        var values = current["f0"].Numbers!;
        var bShares = FeatureDriftCalculator.Shares(first.BinCounts);
        var sink = 0.0;
        sw.Restart();
        const int rounds = 20;
        for (var r = 0; r < rounds; r++)
        {
            var sorted = (double[])values.Clone();
            FiniteSort.Sort(sorted);
            var counts = first.CountSortedBins(sorted);
            var cShares = FeatureDriftCalculator.Shares(counts);
            sink += DriftMath.Psi(bShares, cShares) + DriftMath.KlDivergence(bShares, cShares) + DriftMath.JensenShannonDistance(bShares, cShares);
        }
        var perSecond = rounds * (double)values.Length / sw.Elapsed.TotalSeconds;
        stdout.WriteLine($"{"sort + PSI+KL+JS, one core",-50} {perSecond / 1e6,8:0.0} M values/s   target ≥ 20 M/s ({sink:0.0})");

        detector.Compute(current);
        sw.Restart();
        var report = detector.Compute(current);
        stdout.WriteLine($"{$"full report, every metric ({report.InputDriftCount} drifted)",-50} {sw.Elapsed.TotalMilliseconds,8:0} ms   target ≤ 2000 ms");
    }

    private static double[] Normal(Random random, int n, double mean, double sd)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = mean + sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return values;
    }
}

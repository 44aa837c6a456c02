using System.Globalization;

namespace MonitorConsole.Drift.Tests;

public sealed class DriftDetectorTests
{
    // Deterministic data also fed to the independent reference implementation that produced the expected values.
    private static double[] BaselineValues => [.. Enumerable.Range(0, 300).Select(i => i * 37 % 101 / 10.0)];
    private static double[] CurrentValues => [.. Enumerable.Range(0, 250).Select(i => i * 53 % 97 / 10.0 + 1.5)];

    [Fact]
    public void NumericFeature_MatchesTheReferenceImplementation()
    {
        var detector = new DriftDetector(Columns(("x", FeatureColumn.Numeric(BaselineValues))), new DriftDetectorOptions());
        var report = detector.Compute(Columns(("x", FeatureColumn.Numeric(CurrentValues))));
        var x = report.Features["x"];

        Assert.Equal(FeatureKind.Numeric, x.Kind);
        Assert.Equal(0.7946683507991535, x.Psi, 12);
        Assert.Equal(0.6391107302217007, x.Kl, 12);
        Assert.Equal(0.26173603576667615, x.Js, 12);
        Assert.Equal(0.15, x.KsStatistic!.Value, 12);
        Assert.Equal(0.004325547894033351, x.KsPValue!.Value, 12);
        Assert.Equal(0.4325602738841735, x.Wasserstein!.Value, 12);
        Assert.Equal(AlertLevel.Critical, x.AlertLevel);
        Assert.Equal(10, x.Bins.Count);
    }

    [Fact]
    public void BinEdges_AreTheBaselineDecilesWithDuplicatesMerged()
    {
        var detector = new DriftDetector(Columns(("x", FeatureColumn.Numeric([1, 1, 1, 1, 1, 1, 1, 1, 2, 3]))), new DriftDetectorOptions());
        Assert.Equal([1.0, 1.2, 2.1], detector.Features[0].Edges, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void CategoricalFeature_UsesOneBinPerCategoryOnEitherSide()
    {
        var detector = new DriftDetector(Columns(("c", FeatureColumn.Text(["3", "2", "2"]))),
            new DriftDetectorOptions { Categorical = new HashSet<string> { "c" } });
        var c = detector.Compute(Columns(("c", FeatureColumn.Text(["1", "2", "3"])))).Features["c"];
        Assert.Equal(FeatureKind.Categorical, c.Kind);
        Assert.Equal(["1", "2", "3"], c.Bins);
        Assert.Equal(2.934, c.Psi, 3);
        Assert.NotNull(c.Chi2Statistic);
        Assert.Null(c.KsStatistic);
    }

    [Fact]
    public void NonNumericBaseline_IsCategoricalWithChiSquare()
    {
        var baseline = Repeat(("a", 30), ("b", 20), ("c", 10));
        var current = Repeat(("a", 20), ("b", 25), ("c", 15));
        var detector = new DriftDetector(Columns(("segment", FeatureColumn.Text(baseline))), new DriftDetectorOptions());
        var s = detector.Compute(Columns(("segment", FeatureColumn.Text(current)))).Features["segment"];
        Assert.Equal(0.11996157296989196, s.Psi, 12);
        Assert.Equal(3.5555555555555554, s.Chi2Statistic!.Value, 12);
        Assert.Equal(0.1690133154060661, s.Chi2PValue!.Value, 12);
        Assert.Equal(AlertLevel.Warning, s.AlertLevel);
    }

    [Fact]
    public void MissingValues_AreLeftOutAndReportedAsShares()
    {
        var detector = new DriftDetector(Columns(("x", FeatureColumn.Text(["1", "2", "", "NaN", "3", "4"]))), new DriftDetectorOptions());
        var x = detector.Compute(Columns(("x", FeatureColumn.Text(["1", "inf", "2", "-Infinity"])))).Features["x"];
        Assert.Equal(2.0 / 6, x.BaselineMissingShare, 12);
        Assert.Equal(0.5, x.CurrentMissingShare, 12);
        Assert.Equal(4, x.BaselineCount);
        Assert.Equal(2, x.CurrentCount);
    }

    [Fact]
    public void AlertLevel_FollowsPsiThresholds_AndOptionalThresholdsRaiseIt()
    {
        var same = FeatureColumn.Numeric(BaselineValues);
        var detector = new DriftDetector(Columns(("x", same)), new DriftDetectorOptions());
        Assert.Equal(AlertLevel.Normal, detector.Compute(Columns(("x", same))).OverallStatus);

        var shifted = FeatureColumn.Numeric([.. BaselineValues.Select(v => v + 0.3)]);
        var psi = detector.Compute(Columns(("x", shifted))).Features["x"].Psi;
        Assert.InRange(psi, 0.0, 0.1);
        var strict = new DriftDetector(Columns(("x", same)), new DriftDetectorOptions { Thresholds = new DriftThresholds { KsAlpha = 0.999999 } });
        Assert.Equal(AlertLevel.Warning, strict.Compute(Columns(("x", shifted))).Features["x"].AlertLevel);
    }

    [Fact]
    public void Report_TakesTheWorstLevel_AndCountsDriftShare()
    {
        var detector = new DriftDetector(
            Columns(("x", FeatureColumn.Numeric(BaselineValues)), ("y", FeatureColumn.Numeric(BaselineValues))),
            new DriftDetectorOptions(), FeatureColumn.Numeric([0.1, 0.2, 0.3, 0.4]));
        var report = detector.Compute(
            Columns(("x", FeatureColumn.Numeric(CurrentValues)), ("y", FeatureColumn.Numeric(BaselineValues))),
            FeatureColumn.Numeric([0.1, 0.2, 0.3, 0.4]),
            [new BiasObservation("demographic_parity_gap", "RACE", "Black", 0.02, 0.08)],
            [new SafetyEvent("toxicity", SafetySeverity.High)]);

        Assert.Equal(AlertLevel.Critical, report.OverallStatus);
        Assert.Equal(2, report.FeaturesMonitored);
        Assert.Equal(1, report.InputDriftCount);
        Assert.Equal(0.5, report.DriftShare);
        Assert.Equal(AlertLevel.Warning, Assert.Single(report.Bias).AlertLevel);
        Assert.Equal(1, report.SafetyAlertCount);
        Assert.Equal(AlertLevel.Normal, report.OutputDrift!.AlertLevel);
    }

    [Theory]
    [InlineData(0.02, 0.069, AlertLevel.Normal)]
    [InlineData(0.02, 0.07, AlertLevel.Warning)]
    [InlineData(0.02, 0.12, AlertLevel.Critical)]
    public void Bias_IsJudgedOnTheAbsoluteDifference(double baseline, double current, AlertLevel expected)
    {
        var detector = new DriftDetector(Columns(("x", FeatureColumn.Numeric([1, 2, 3]))), new DriftDetectorOptions());
        var report = detector.Compute(Columns(("x", FeatureColumn.Numeric([1, 2, 3]))),
            bias: [new BiasObservation("tpr_gap", "SEX", "F", baseline, current)]);
        Assert.Equal(expected, report.Bias[0].AlertLevel);
    }

    [Fact]
    public void SafetyEvent_Critical_MakesTheReportCritical()
    {
        var detector = new DriftDetector(Columns(("x", FeatureColumn.Numeric([1, 2, 3]))), new DriftDetectorOptions());
        var report = detector.Compute(Columns(("x", FeatureColumn.Numeric([1, 2, 3]))),
            safety: [new SafetyEvent("jailbreak", SafetySeverity.Critical)]);
        Assert.Equal(AlertLevel.Critical, report.OverallStatus);
    }

    [Fact]
    public void BadInput_NamesWhatIsWrong()
    {
        var baseline = Columns(("age", FeatureColumn.Text(["20", "30"])));
        Assert.Equal("baseline", Assert.Throws<DriftInputException>(() => new DriftDetector(Columns(), new DriftDetectorOptions())).Field);
        Assert.Equal("income", Assert.Throws<DriftInputException>(() =>
            new DriftDetector(baseline, new DriftDetectorOptions { Features = ["income"] })).Field);
        var detector = new DriftDetector(baseline, new DriftDetectorOptions());
        var missing = Assert.Throws<DriftInputException>(() => detector.Compute(Columns(("other", FeatureColumn.Text(["1"])))));
        Assert.Equal("age", missing.Field);
        var text = Assert.Throws<DriftInputException>(() => detector.Compute(Columns(("age", FeatureColumn.Text(["21", "old"])))));
        Assert.Contains("row 2", text.Message);
        Assert.Contains("'old'", text.Message);
        Assert.Equal("psi_critical", Assert.Throws<DriftInputException>(() =>
            new DriftDetector(baseline, new DriftDetectorOptions { Thresholds = new DriftThresholds { PsiWarning = 0.3, PsiCritical = 0.2 } })).Field);
    }

    private static Dictionary<string, FeatureColumn> Columns(params (string Name, FeatureColumn Column)[] columns) =>
        columns.ToDictionary(c => c.Name, c => c.Column);

    private static string?[] Repeat(params (string Value, int Count)[] items) =>
        [.. items.SelectMany(i => Enumerable.Repeat(i.Value, i.Count))];

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}

/// <summary>A window read column by column gives the same report as the same data held whole.</summary>
public sealed class ColumnByColumnTests
{
    private sealed class CountingSource(Dictionary<string, FeatureColumn> columns) : IColumnSource
    {
        public Dictionary<string, int> Reads { get; } = [];
        public int RowCount => columns.Values.First().Length;
        public IReadOnlyCollection<string> ColumnNames => columns.Keys;

        public ValueTask<FeatureColumn> ReadAsync(string name, CancellationToken ct)
        {
            lock (Reads) Reads[name] = Reads.GetValueOrDefault(name) + 1;
            return ValueTask.FromResult(columns[name]);
        }
    }

    private static FeatureColumn Normal(int n, int seed, double shift)
    {
        var random = new Random(seed);
        return FeatureColumn.Numeric([.. Enumerable.Range(0, n).Select(_ => shift + random.NextDouble() + random.NextDouble())]);
    }

    [Fact]
    public async Task ComputeAsync_ReadsEachColumnOnce_AndEqualsTheWholeWindowReport()
    {
        var baseline = new Dictionary<string, FeatureColumn> { ["a"] = Normal(5_000, 1, 0), ["b"] = Normal(5_000, 2, 0), ["score"] = Normal(5_000, 3, 0) };
        var current = new Dictionary<string, FeatureColumn> { ["a"] = Normal(8_000, 4, 0.3), ["b"] = Normal(8_000, 5, 0), ["score"] = Normal(8_000, 6, 0.1), ["extra"] = Normal(8_000, 7, 0) };
        var options = new DriftDetectorOptions { Features = ["a", "b"], OutputColumn = "score" };
        var detector = new DriftDetector(baseline.Where(c => c.Key != "score").ToDictionary(), options, baseline["score"]);
        var source = new CountingSource(current);

        var streamed = await detector.ComputeAsync(source, "score", [], [], CancellationToken.None);
        var whole = detector.Compute(current.Where(c => c.Key != "score").ToDictionary(), current["score"]);

        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1, ["score"] = 1 }, source.Reads);
        Assert.Equal(whole.OverallStatus, streamed.OverallStatus);
        foreach (var name in new[] { "a", "b" })
        {
            Assert.Equal(whole.Features[name].Psi, streamed.Features[name].Psi);
            Assert.Equal(whole.Features[name].KsStatistic, streamed.Features[name].KsStatistic);
            Assert.Equal(whole.Features[name].Wasserstein, streamed.Features[name].Wasserstein);
        }
        Assert.Equal(whole.OutputDrift!.Psi, streamed.OutputDrift!.Psi);
        Assert.Equal(whole.Dataset.Select(d => (d.Metric, d.Value)), streamed.Dataset.Select(d => (d.Metric, d.Value)));
    }
}

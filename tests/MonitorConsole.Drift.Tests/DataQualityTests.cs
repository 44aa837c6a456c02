using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Drift.Tests;

public sealed class DataQualityTests
{
    private static DriftReport Report()
    {
        var baseline = new Dictionary<string, FeatureColumn>
        {
            ["x"] = FeatureColumn.Text(["1", "2", "3", "4", "5", ""]),
            ["c"] = FeatureColumn.Text(["a", "a", "b", "b", "a", "b"]),
            ["id"] = FeatureColumn.Text(["1", "2", "3", "4", "5", "6"]),
        };
        var detector = new DriftDetector(baseline, new DriftDetectorOptions
        {
            Features = ["x", "c"],
            Categorical = new HashSet<string> { "c" },
            Thresholds = DriftThresholds.Default.With("columns_missing_warning", 1),
        });
        return detector.Compute(new Dictionary<string, FeatureColumn>
        {
            ["x"] = FeatureColumn.Text(["0", "2", "3", "9", "", ""]),
            ["c"] = FeatureColumn.Text(["a", "c", "c", "d", "", "a"]),
            ["extra"] = FeatureColumn.Text(["e", "e", "e", "e", "e", "e"]),
        });
    }

    [Fact]
    public void MissingShareIncrease_IsTheRiseInMissingShare_OverTheBaselines()
    {
        var x = Report().Features["x"];
        // baseline 1 of 6 missing, current 2 of 6: 1/3 − 1/6.
        Assert.Equal(1.0 / 6, x.Value("missing_share_increase")!.Value, 12);
        Assert.Equal(AlertLevel.Warning, x.Values.Single(v => v.Metric == "missing_share_increase").Level);
    }

    [Fact]
    public void OutOfRangeShare_CountsValuesOutsideTheBaselinesMinAndMax()
    {
        var x = Report().Features["x"];
        // current non-missing [0, 2, 3, 9]; baseline range [1, 5]: 0 and 9 are outside.
        Assert.Equal(0.5, x.Value("out_of_range_share"));
        Assert.Equal(AlertLevel.Critical, x.Values.Single(v => v.Metric == "out_of_range_share").Level);
        Assert.Null(x.Value("unseen_category_share"));
        Assert.Equal(AlertLevel.Critical, x.AlertLevel);
    }

    [Fact]
    public void UnseenCategoryShare_CountsCategoriesTheBaselineNeverHad()
    {
        var c = Report().Features["c"];
        // current non-missing [a, c, c, d, a]: c, c and d were never in the baseline.
        Assert.Equal(3.0 / 5, c.Value("unseen_category_share")!.Value, 12);
        Assert.Equal(1.0 / 6, c.Value("missing_share_increase")!.Value, 12);
        Assert.Null(c.Value("out_of_range_share"));
    }

    [Fact]
    public void Columns_AddedAndGone_AreDatasetMetrics_WithTheirLevels()
    {
        var report = Report();
        var missing = report.Dataset.Single(v => v.Metric == "columns_missing");
        var added = report.Dataset.Single(v => v.Metric == "columns_added");
        Assert.Equal(1, missing.Value); // id
        Assert.Equal(AlertLevel.Warning, missing.Level);
        Assert.Equal(1, added.Value); // extra
        Assert.Equal(AlertLevel.Normal, added.Level); // not used by default
        Assert.Null(DriftThresholds.Default.Get("columns_missing_warning")); // nor this one, unless set as here
    }

    [Fact]
    public void OutputColumn_IsNotCountedAsAnAddedColumn()
    {
        var detector = new DriftDetector(new Dictionary<string, FeatureColumn> { ["x"] = FeatureColumn.Numeric([1, 2, 3]) },
            new DriftDetectorOptions { OutputColumn = "score" }, FeatureColumn.Numeric([0.1, 0.2, 0.3]));
        var report = detector.Compute(new Dictionary<string, FeatureColumn>
        {
            ["x"] = FeatureColumn.Numeric([1, 2, 3]),
            ["score"] = FeatureColumn.Numeric([0.1, 0.2, 0.3]),
        }, FeatureColumn.Numeric([0.1, 0.2, 0.3]));
        Assert.Equal(0, report.Dataset.Single(v => v.Metric == "columns_added").Value);
        Assert.Equal(AlertLevel.Normal, report.OverallStatus);
    }

    [Fact]
    public void BiasOnlyWindow_CompletesWithBiasResults_AndAnEmptyFeatureSection()
    {
        var detector = new DriftDetector(new Dictionary<string, FeatureColumn> { ["x"] = FeatureColumn.Numeric([1, 2, 3]) }, new DriftDetectorOptions());
        var report = detector.Compute(new Dictionary<string, FeatureColumn>(),
            bias: [new BiasObservation("tpr_gap", "SEX", "F", 0.02, 0.12)],
            safety: [new SafetyEvent("toxicity", SafetySeverity.High)]);
        Assert.Empty(report.Features);
        Assert.Empty(report.Dataset);
        Assert.Equal(0, report.FeaturesMonitored);
        Assert.Equal(0, report.DriftShare);
        Assert.Equal(AlertLevel.Critical, report.OverallStatus);
        Assert.Equal(1, report.SafetyAlertCount);
    }

    [Fact]
    public void SafetyOnlyWindow_WithEmptyColumns_IsJudgedOnItsEvents()
    {
        var detector = new DriftDetector(new Dictionary<string, FeatureColumn> { ["x"] = FeatureColumn.Numeric([1, 2, 3]) }, new DriftDetectorOptions());
        var report = detector.Compute(new Dictionary<string, FeatureColumn> { ["x"] = FeatureColumn.Text([]) },
            safety: [new SafetyEvent("jailbreak", SafetySeverity.Medium)]);
        Assert.Empty(report.Features);
        Assert.Equal(AlertLevel.Normal, report.OverallStatus);
    }
}

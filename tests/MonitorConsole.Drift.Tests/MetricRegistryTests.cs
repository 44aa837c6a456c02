using System.Text.Json;
using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Drift.Tests;

public sealed class MetricRegistryTests
{
    [Fact]
    public void Registry_HoldsSpecV1AndTheDataQualityMetrics_WithUniqueSnakeCaseNames()
    {
        var names = MetricRegistry.All.Select(m => m.Name).ToList();
        Assert.Equal(
            ["psi", "kl", "js", "wasserstein", "ks_statistic", "ks_p_value", "chi2_statistic", "chi2_p_value",
             "missing_share_increase", "unseen_category_share", "out_of_range_share", "columns_missing", "columns_added"],
            names);
        Assert.All(names, n => Assert.Matches("^[a-z][a-z0-9_]*$", n));
        Assert.Equal(MetricRegistry.All.SelectMany(m => m.Thresholds).Count(), MetricRegistry.ThresholdKeys.Count);
    }

    [Fact]
    public void RegistryLevels_AgreeWithTheSpecV1Calculator_ForEveryV1Threshold()
    {
        var baseline = Enumerable.Range(0, 300).Select(i => i * 37 % 101 / 10.0).ToArray();
        var thresholds = new DriftThresholds { KlWarning = 0.1, KlCritical = 5, JsWarning = 0.2, WassersteinWarning = 0.3, KsAlpha = 0.01 };
        foreach (var shift in new[] { 0.0, 0.3, 1.0, 3.0 })
        {
            var current = baseline.Select(v => v + shift).ToArray();
            var detector = new DriftDetector(new Dictionary<string, FeatureColumn> { ["x"] = FeatureColumn.Numeric(baseline) },
                new DriftDetectorOptions { Thresholds = thresholds with { Additional = new() { ["out_of_range_share_warning"] = JsonSerializer.SerializeToElement<double?>(null), ["out_of_range_share_critical"] = JsonSerializer.SerializeToElement<double?>(null) } } });
            var x = detector.Compute(new Dictionary<string, FeatureColumn> { ["x"] = FeatureColumn.Numeric(current) }).Features["x"];
            var v1 = x.Values.Where(v => MetricRegistry.Find(v.Metric)!.Spec == "1").Max(v => v.Level);
            Assert.Equal(x.AlertLevel, v1);
        }
    }

    [Fact]
    public void Thresholds_AddedAfterV1_RoundTripFlatInJson_AndTakeRegistryDefaultsWhenAbsent()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var parsed = JsonSerializer.Deserialize<DriftThresholds>(
            """{"psi_warning":0.2,"psi_critical":0.3,"out_of_range_share_warning":0.15,"columns_missing_warning":null}""", options)!;
        parsed.Validate();
        Assert.Equal(0.2, parsed.Get("psi_warning"));
        Assert.Equal(0.15, parsed.Get("out_of_range_share_warning"));
        Assert.Null(parsed.Get("columns_missing_warning"));
        Assert.Equal(0.1, parsed.Get("missing_share_increase_warning"));
        var json = JsonSerializer.Serialize(parsed.With("kl_warning", 0.4), options);
        Assert.Contains("\"out_of_range_share_warning\":0.15", json);
        Assert.Contains("\"kl_warning\":0.4", json);
    }

    [Theory]
    [InlineData("""{"no_such_threshold":1}""", "no_such_threshold")]
    [InlineData("""{"missing_share_increase_warning":0.5,"missing_share_increase_critical":0.2}""", "missing_share_increase_critical")]
    [InlineData("""{"out_of_range_share_warning":"abc"}""", "out_of_range_share_warning")]
    [InlineData("""{"unseen_category_share_warning":-1}""", "unseen_category_share_warning")]
    [InlineData("""{"kl_warning":0.5,"kl_critical":0.2}""", "kl_critical")]
    public void Thresholds_AreRefused_NamingTheKey(string json, string field)
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var thresholds = JsonSerializer.Deserialize<DriftThresholds>(json, options)!;
        Assert.Equal(field, Assert.Throws<DriftInputException>(thresholds.Validate).Field);
    }

    [Fact]
    public void DocsTable_IsTheRegistry()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "drift-metrics.md")).ReplaceLineEndings("\n");
        Assert.Contains(MetricRegistry.MarkdownTable().ReplaceLineEndings("\n"), docs);
        foreach (var m in MetricRegistry.All) Assert.Contains($"| `{m.Name}` |", docs);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MonitorConsole.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MonitorConsole.sln not found above the test binaries");
    }
}

using System.Text.Json;
using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Cli.Tests;

public sealed class DriftCliTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task DriftCompute_PrintsFullPrecisionMetricsPerFeature()
    {
        var baseline = _cli.WriteFile("baseline.csv", "x,segment\n" + string.Join('\n',
            Enumerable.Range(0, 300).Select(i => $"{i * 37 % 101 / 10.0:R},{(i % 3 == 0 ? "a" : "b")}")));
        var current = _cli.WriteFile("current.csv", "x,segment\n" + string.Join('\n',
            Enumerable.Range(0, 250).Select(i => $"{i * 53 % 97 / 10.0 + 1.5:R},{(i % 2 == 0 ? "a" : "c")}")));

        var (code, output, error) = await _cli.RunAsync("drift", "compute", "--baseline", baseline, "--current", current, "--json");

        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var x = doc.RootElement.GetProperty("features").GetProperty("x");
        Assert.Equal("numeric", x.GetProperty("type").GetString());
        Assert.Equal(0.7946683507991535, x.GetProperty("psi").GetDouble(), 12);
        Assert.Equal(0.004325547894033351, x.GetProperty("ks_p_value").GetDouble(), 12);
        Assert.Equal("CRITICAL", x.GetProperty("alert_level").GetString());
        var segment = doc.RootElement.GetProperty("features").GetProperty("segment");
        Assert.Equal("categorical", segment.GetProperty("type").GetString());
        Assert.True(segment.TryGetProperty("chi2_p_value", out _));
        Assert.False(segment.TryGetProperty("ks_statistic", out _));
    }

    [Fact]
    public async Task DriftCompute_WithAFeatureMissingFromCurrent_ExitsTwoNamingIt()
    {
        var baseline = _cli.WriteFile("b.csv", "age,income\n30,100\n40,200\n");
        var current = _cli.WriteFile("c.csv", "age\n35\n");
        var (code, _, error) = await _cli.RunAsync("drift", "compute", "--baseline", baseline, "--current", current);
        Assert.Equal(2, code);
        Assert.StartsWith("error: income: is monitored but missing from the current data", error);
    }

    [Fact]
    public async Task DriftCompute_Json_ListsEveryRegistryMetric_WhereItApplies()
    {
        var baseline = _cli.WriteFile("rb.csv", "x,segment,id\n" + string.Join('\n',
            Enumerable.Range(0, 100).Select(i => $"{i},{(i % 3 == 0 ? "a" : "b")},{i}")));
        var current = _cli.WriteFile("rc.csv", "x,segment,extra\n" + string.Join('\n',
            Enumerable.Range(0, 100).Select(i => $"{i + 50},{(i % 4 == 0 ? "z" : "b")},1")));

        var (code, output, error) = await _cli.RunAsync("drift", "compute", "--baseline", baseline, "--current", current,
            "--features", "x,segment", "--out-of-range-share-warning", "0.6", "--out-of-range-share-critical", "0.9", "--columns-missing-warning", "1", "--json");

        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(output);
        var x = doc.RootElement.GetProperty("features").GetProperty("x");
        var segment = doc.RootElement.GetProperty("features").GetProperty("segment");
        var dataset = doc.RootElement.GetProperty("dataset");
        foreach (var metric in MetricRegistry.All)
        {
            if (metric.AppliesTo == MetricScope.Dataset) Assert.True(dataset.TryGetProperty(metric.Name, out _), metric.Name);
            if (metric.AppliesTo is MetricScope.Numeric or MetricScope.Both) Assert.True(x.TryGetProperty(metric.Name, out _), metric.Name);
            if (metric.AppliesTo is MetricScope.Categorical or MetricScope.Both) Assert.True(segment.TryGetProperty(metric.Name, out _), metric.Name);
        }
        Assert.Equal(0.5, x.GetProperty("out_of_range_share").GetDouble());
        Assert.Equal(0.25, segment.GetProperty("unseen_category_share").GetDouble());
        Assert.Equal(1, dataset.GetProperty("columns_missing").GetDouble());
        Assert.Equal("WARNING", dataset.GetProperty("alert_level").GetString());
    }
}

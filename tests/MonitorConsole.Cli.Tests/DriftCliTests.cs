using System.Text.Json;

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
}

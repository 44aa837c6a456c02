using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Drift.Metrics;
using MonitorConsole.Monitoring.Runs;
using MonitorConsole.Web.Components.Pages.Drift;
using MonitorConsole.Web.Components.Pages.Models;

namespace MonitorConsole.Web.Tests;

public sealed class DriftPagesTests : PageContext
{
    [Fact]
    public void ModelForm_HasAFieldForEveryRegistryThreshold_LabelledInWords()
    {
        var page = Render<ModelEdit>();
        foreach (var (key, (_, threshold)) in MetricRegistry.ThresholdKeys)
        {
            var field = page.Find($"[data-testid=threshold-{key}]").Closest(".mud-input-control")!;
            Assert.Contains(threshold.Label, field.TextContent);
            Assert.DoesNotContain("_", threshold.Label);
        }
    }

    [Theory]
    [InlineData("kl_warning", "0.5", "kl_critical", "0.2", "kl_critical", "Enter at least the warning threshold (0.5)")]
    [InlineData("ks_alpha", "2", null, null, "ks_alpha", "between 0 and 1")]
    [InlineData("psi_critical", "1e308", null, null, "psi_critical", "Enter at most 100")]
    [InlineData("js_warning", "-0.1", null, null, "js_warning", "greater than 0")]
    [InlineData("wasserstein_warning", "0", null, null, "wasserstein_warning", "greater than 0")]
    [InlineData("out_of_range_share_warning", "1.5", null, null, "out_of_range_share_warning", "never goes higher")]
    public void ThresholdField_SaysWhatIsWrong_AtTheField_AndSaveWaits(string key, string value, string? otherKey, string? otherValue, string errorKey, string message)
    {
        var page = Render<ModelEdit>();
        Input(page, "model-id").Change("churn");
        Input(page, "model-version").Change("1.0");
        Input(page, $"threshold-{key}").Input(value);
        if (otherKey is not null) Input(page, $"threshold-{otherKey}").Input(otherValue!);

        page.WaitForAssertion(() =>
        {
            var field = page.Find($"[data-testid=threshold-{errorKey}]").Closest(".mud-input-control")!;
            var error = field.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent ?? "";
            Assert.Contains(message, error);
            Assert.DoesNotContain("_", error);
        });
        Assert.True(page.Find("[data-testid=save-model]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ThresholdFields_TypedRight_AreSavedExactly()
    {
        var page = Render<ModelEdit>();
        Input(page, "model-id").Change("churn");
        Input(page, "model-version").Change("1.0");
        Input(page, "threshold-kl_warning").Input("0.3");
        Input(page, "threshold-kl_critical").Input("0.6");
        Input(page, "threshold-js_warning").Input("0.2");
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=save-model]").HasAttribute("disabled")));
        page.Find("[data-testid=save-model]").Click();

        var models = Services.GetRequiredService<Monitoring.Models.ModelConfigService>();
        await page.WaitForAssertionAsync(async () => Assert.NotNull(await models.GetAsync("churn")));
        var saved = (await models.GetAsync("churn"))!.Thresholds;
        Assert.Equal(0.3, saved.KlWarning);
        Assert.Equal(0.6, saved.KlCritical);
        Assert.Equal(0.2, saved.JsWarning);
        Assert.Null(saved.WassersteinWarning);
        Assert.Equal(0.05, saved.Get("out_of_range_share_warning"));
    }

    [Fact]
    public void ChartMetricList_IsTheRegistry_AndEveryThresholdIsAnAxisBand()
    {
        Assert.Equal(MetricRegistry.All.Select(m => m.Name), DriftChart.Metrics.Select(m => m.Name));
        var thresholds = Drift.DriftThresholds.Default with { KlWarning = 0.2, KlCritical = 0.5, KsAlpha = 0.01 };
        var kl = DriftChart.Thresholds(MetricRegistry.Find("kl")!, thresholds);
        Assert.Equal([(0.2, 0.2, (double?)0.5), (0.5, 0.5, null)], kl.Select(t => (t.Value, t.BandFrom, t.BandTo)));
        Assert.Equal((0.0, (double?)0.01), DriftChart.Thresholds(MetricRegistry.Find("ks_p_value")!, thresholds).Select(t => (t.BandFrom, t.BandTo)).Single());
        // The axis reaches past the highest threshold even when every value is far below it.
        var (_, max) = Components.Shared.LineChart.Range([new("x", [new(DateTime.UtcNow, 0.01)])], kl);
        Assert.True(max > 0.5);
    }

    [Fact]
    public async Task DriftPage_MarksAlertRuns_AndLinksEveryRunToItsReport()
    {
        await Services.GetRequiredService<Monitoring.Demo.DemoData>().SeedAsync();
        var page = Render<DriftModel>(p => p.Add(x => x.ModelId, "credit_risk"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=drift-chart-legend]")), TimeSpan.FromSeconds(10));
        var links = page.FindAll("[data-testid=run-link]");
        Assert.True(links.Count >= 28);
        Assert.All(links, l => Assert.StartsWith("drift/credit_risk/runs/", l.GetAttribute("href")));
        var render = JSInterop.Invocations.Last(i => i.Identifier == "render");
        var options = System.Text.Json.JsonSerializer.Serialize(render.Arguments[1]);
        Assert.Contains("\"markerLinks\":[\"drift/credit_risk/runs/", options);
        Assert.Contains("Time (UTC)", options);
    }

    [Fact]
    public async Task RunReportPage_ShowsEveryFeaturesMetricsLevelAndDistribution_InTheReadersZone()
    {
        JSInterop.SetupModule("./js/time.js").Setup<string?>("zone").SetResult("Europe/Berlin");
        await Services.GetRequiredService<Monitoring.Demo.DemoData>().SeedAsync();
        var latest = (await Services.GetRequiredService<RunReports>().LatestAsync("credit_risk"))!;

        var page = Render<RunReportPage>(p => p.Add(x => x.ModelId, "credit_risk").Add(x => x.CheckId, latest.Run.CheckId));

        page.WaitForAssertion(() => Assert.Contains("(Europe/Berlin)", page.Find("[data-testid=run-summary]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal(5, page.FindAll("[data-testid=run-features] tbody tr").Count);
        var header = page.Find("[data-testid=run-features] thead").TextContent;
        foreach (var m in MetricRegistry.PerFeature) Assert.Contains(m.Label, header);
        Assert.Equal(5, page.FindAll("[data-testid=distribution]").Count);
        Assert.NotNull(page.Find("[data-testid=run-features-dataset]"));
        var berlin = TimeZoneInfo.ConvertTimeFromUtc(latest.Run.Timestamp, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Contains(berlin.ToString("yyyy-MM-dd HH:mm:ss"), page.Find("[data-testid=run-summary]").TextContent);
    }

    [Fact]
    public void RunReportPage_ForAnUnknownRun_SaysSo()
    {
        var page = Render<RunReportPage>(p => p.Add(x => x.ModelId, "credit_risk").Add(x => x.CheckId, "nope"));
        page.WaitForAssertion(() => Assert.Contains("has no run", page.Find("[data-testid=run-missing]").TextContent));
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ModelEdit> page, string testId)
    {
        var element = page.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }
}

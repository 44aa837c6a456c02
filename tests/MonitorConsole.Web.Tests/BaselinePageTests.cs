using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Web.Components.Pages.Models;

namespace MonitorConsole.Web.Tests;

public sealed class BaselinePageTests : PageContext
{
    private static readonly Caller Scientist = Caller.User("alice", [ConsoleRoles.DataScientist]);

    private static string Csv(int rows, string header = "age,income") =>
        header + "\n" + string.Join('\n', Enumerable.Range(0, rows).Select(i => string.Join(',', header.Split(',').Select((_, c) => 20 + (i + c) % 40))));

    private ModelConfigService Models => Services.GetRequiredService<ModelConfigService>();

    private async Task CreateModelAsync(int? baselineRows)
    {
        await Models.ConfigureAsync(Scientist, new ModelConfigInput { ModelId = "churn", ModelVersion = "1", Features = ["age"] });
        if (baselineRows is { } rows) await Models.ReplaceBaselineAsync(Scientist, "churn", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Csv(rows))));
    }

    [Fact]
    public async Task ReplacingABaseline_ShowsWhatTheNewFileHolds_AndTakesEffectOnlyWhenConfirmed()
    {
        await CreateModelAsync(baselineRows: 200);
        var page = Render<ModelEdit>(p => p.Add(x => x.ModelId, "churn"));
        page.WaitForAssertion(() => Assert.Contains("200 rows", page.Find("[data-testid=current-baseline]").TextContent));

        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv(500, "age,income,region"), "march.csv"));

        page.WaitForAssertion(() => Assert.Contains("march.csv: 500 rows (now 200)", page.Find("[data-testid=baseline-summary]").TextContent));
        Assert.Contains("new column", page.Find("[data-testid=baseline-columns]").TextContent);
        Assert.Equal(200, (await Models.BaselineAsync("churn"))!.Rows);

        page.Find("[data-testid=baseline-confirm]").Click();
        page.WaitForAssertion(() => Assert.Contains("500 rows", page.Find("[data-testid=current-baseline]").TextContent));
        Assert.Equal(500, (await Models.BaselineAsync("churn"))!.Rows);
    }

    [Fact]
    public async Task KeepingTheCurrentBaseline_LeavesItAsItWas()
    {
        await CreateModelAsync(baselineRows: 200);
        var page = Render<ModelEdit>(p => p.Add(x => x.ModelId, "churn"));
        page.WaitForAssertion(() => page.Find("[data-testid=current-baseline]"));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv(500), "march.csv"));
        page.WaitForAssertion(() => page.Find("[data-testid=baseline-cancel]"));
        page.Find("[data-testid=baseline-cancel]").Click();

        Assert.Empty(page.FindAll("[data-testid=baseline-summary]"));
        Assert.Equal(200, (await Models.BaselineAsync("churn"))!.Rows);
    }

    [Fact]
    public async Task AModelWithoutABaseline_SaysItsChecksCannotRun()
    {
        await CreateModelAsync(baselineRows: null);
        var page = Render<ModelEdit>(p => p.Add(x => x.ModelId, "churn"));
        page.WaitForAssertion(() => Assert.Contains("no baseline yet", page.Find("[data-testid=no-baseline]").TextContent));
    }

    [Fact]
    public async Task ANewModel_IsSavedWithTheBaselineChosenOnItsForm()
    {
        var page = Render<ModelEdit>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Csv(300), "train.csv"));
        page.WaitForAssertion(() => Assert.Contains("300 rows", page.Find("[data-testid=baseline-summary]").TextContent));
        Input(page, "model-id").Change("fresh");
        Input(page, "model-version").Change("1.0");
        page.Find("[data-testid=save-model]").Click();

        page.WaitForAssertion(() => Assert.NotNull(Models.BaselineAsync("fresh").GetAwaiter().GetResult()), TimeSpan.FromSeconds(10));
        Assert.Equal(300, (await Models.BaselineAsync("fresh"))!.Rows);
    }

    [Theory]
    [InlineData("CRITICAL", null, MudBlazor.Severity.Error)]
    [InlineData("WARNING", null, MudBlazor.Severity.Warning)]
    [InlineData("NORMAL", null, MudBlazor.Severity.Success)]
    [InlineData(null, "no data arrived", MudBlazor.Severity.Error)]
    public void RunNowToast_MatchesWhatTheCheckFound(string? level, string? error, MudBlazor.Severity expected)
    {
        var run = new DriftRun { CheckId = "c1", AlertLevel = level, ErrorMessage = error, Status = error is null ? RunStatus.Completed : RunStatus.Failed };
        Assert.Equal(expected, Components.Pages.Drift.RunNowButton.Outcome(run).Severity);
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ModelEdit> page, string testId)
    {
        var element = page.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }
}

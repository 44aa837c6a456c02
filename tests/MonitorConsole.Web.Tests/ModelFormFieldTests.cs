using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Web.Components.Pages.Models;

namespace MonitorConsole.Web.Tests;

/// <summary>The model form saves exactly what was typed, or says why not at the field — never a silent substitute.</summary>
public sealed class ModelFormFieldTests : PageContext
{
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<ModelEdit> page, string testId)
    {
        var element = page.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    private IRenderedComponent<ModelEdit> NewModel()
    {
        var page = Render<ModelEdit>();
        Input(page, "model-id").Change("churn");
        Input(page, "model-version").Change("1.0");
        return page;
    }

    [Theory]
    [InlineData("threshold-psi_critical", "abc", "'abc' is not a number.")]
    [InlineData("threshold-psi_critical", "1e308", "Enter at most")]
    [InlineData("window-hours", "abc", "'abc' is not a number.")]
    [InlineData("window-hours", "9000", "Enter a number from 0 to 8,784.")]
    public async Task AValueThatCannotBeSaved_IsRefusedAtItsField_AndNothingIsSaved(string field, string typed, string message)
    {
        var page = NewModel();
        Input(page, field).Input(typed);

        page.WaitForAssertion(() => Assert.Contains(message, page.Find($".mud-input-control:has([data-testid={field}])").TextContent));
        Assert.True(page.Find("[data-testid=save-model]").HasAttribute("disabled"));
        Assert.Null(await Services.GetRequiredService<ModelConfigService>().GetAsync("churn"));
    }

    [Fact]
    public async Task TypedThresholdsAndWindow_AreSavedExactly()
    {
        var page = NewModel();
        Input(page, "threshold-psi_critical").Input("0.3");
        Input(page, "threshold-kl_warning").Input("0.07");
        Input(page, "window-hours").Input("36");
        page.Find("[data-testid=save-model]").Click();

        ModelConfigView? saved = null;
        page.WaitForAssertion(() => Assert.NotNull(saved = Services.GetRequiredService<ModelConfigService>().GetAsync("churn").GetAwaiter().GetResult()), TimeSpan.FromSeconds(10));
        Assert.Equal((0.3, 0.07, 36.0), (saved!.Thresholds.PsiCritical, saved.Thresholds.KlWarning, saved.TrailingWindowHours));
        await Task.CompletedTask;
    }
}

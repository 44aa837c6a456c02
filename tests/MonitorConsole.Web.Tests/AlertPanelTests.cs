using System.Text;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Monitoring.Alerts;
using MonitorConsole.Monitoring.Ingestion;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Runs;

namespace MonitorConsole.Web.Tests;

/// <summary>The model page's alert list: delivery state and the acknowledge button.</summary>
public sealed class AlertPanelTests : PageContext
{
    private async Task<string> AlertingRunAsync()
    {
        var scientist = Caller.User("dora", [ConsoleRoles.DataScientist]);
        var models = Services.GetRequiredService<ModelConfigService>();
        await models.ConfigureAsync(scientist, new ModelConfigInput
        {
            ModelId = "credit_risk", ModelVersion = "1", Features = ["age"], Webhooks = ["https://alerts.example.com/drift"],
        });
        var baseline = "age\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{20 + i % 40}"));
        await models.ReplaceBaselineAsync(scientist, "credit_risk", new MemoryStream(Encoding.UTF8.GetBytes(baseline)));
        var shifted = new ObservationBatch(new Dictionary<string, string?[]> { ["age"] = [.. Enumerable.Range(0, 200).Select(i => $"{50 + i % 40}")] }, [], []);
        return (await Services.GetRequiredService<DriftRunner>().RunNowAsync(scientist, "credit_risk", shifted)).CheckId;
    }

    [Fact]
    public async Task AcknowledgeButton_RecordsThePersonAndNote_AndTheAlertShowsAcknowledged()
    {
        var checkId = await AlertingRunAsync();
        SignInAs(ConsoleRoles.DataScientist, "tester");
        var page = Render<Components.Pages.Drift.DriftModel>(p => p.Add(x => x.ModelId, "credit_risk"));
        page.WaitForAssertion(() => page.Find($"[data-testid=acknowledge-{checkId}]"), TimeSpan.FromSeconds(10));
        Assert.Contains("PENDING after 0 attempt(s)", page.Find("[data-testid=delivery]").TextContent);
        Assert.Contains("1 pending", page.Find("[data-testid=run-alert]").TextContent);

        page.Find($"[data-testid=ack-note-{checkId}]").Change("looking into it");
        page.Find($"[data-testid=acknowledge-{checkId}]").Click();

        page.WaitForAssertion(() => Assert.Contains("by tester", page.Find("[data-testid=alert-acknowledged]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Contains("looking into it", page.Find("[data-testid=alert-acknowledged]").TextContent);
        Assert.Empty(page.FindAll($"[data-testid=acknowledge-{checkId}]"));
        var entry = Assert.Single((await Services.GetRequiredService<AuditQueries>().GetTrailAsync(
            TrailFilter.ForResource("model", "credit_risk") with { Action = RunAlerts.AcknowledgedAction })).Entries).Entry;
        Assert.Equal("tester", entry.Actor);
        Assert.Contains(checkId, entry.Data);
    }

    [Fact]
    public async Task Auditor_SeesTheAlert_WithoutTheAcknowledgeButton()
    {
        var checkId = await AlertingRunAsync();
        SignInAs(ConsoleRoles.Auditor, "olivia");
        var page = Render<Components.Pages.Drift.DriftModel>(p => p.Add(x => x.ModelId, "credit_risk"));
        page.WaitForAssertion(() => page.Find($"[data-testid=alert-{checkId}]"), TimeSpan.FromSeconds(10));
        Assert.Empty(page.FindAll($"[data-testid=acknowledge-{checkId}]"));
    }
}

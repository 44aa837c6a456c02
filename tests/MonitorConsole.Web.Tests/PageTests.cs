using Bunit;
using MonitorConsole.Access;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Web.Components.Pages.Audit;
using MonitorConsole.Web.Components.Pages.Overview;
using MonitorConsole.Web.Components.Pages.Verification;

namespace MonitorConsole.Web.Tests;

public sealed class OverviewPageTests : PageContext
{
    [Fact]
    public void EmptyLedger_SaysWhatToDoNext()
    {
        var page = Render<Overview>();
        page.WaitForAssertion(() => Assert.Contains("The ledger is empty", page.Find("[data-testid=recent-empty]").TextContent));
        Assert.Contains("No models are configured", page.Find("[data-testid=schedule-empty]").TextContent);
        Assert.Equal("Not verified yet", page.Find("[data-testid=chain-status]").TextContent.Trim());
    }

    [Fact]
    public async Task LoadedLedger_ShowsItsSizeAndRecentEntries_AndVerifiesOnClick()
    {
        await SeedAsync(12);
        var page = Render<Overview>();
        page.WaitForAssertion(() => Assert.Equal("12", page.Find("[data-testid=ledger-size]").TextContent.Trim()));
        Assert.Equal(10, page.FindAll("[data-testid=recent-entries] tbody tr").Count);
        page.Find("[data-testid=verify-now]").Click();
        page.WaitForAssertion(() => Assert.Equal("Valid", page.Find("[data-testid=chain-status]").TextContent.Trim()));
    }
}

public sealed class AuditTrailPageTests : PageContext
{
    [Fact]
    public async Task FiltersFromTheUrl_SelectTheEntries()
    {
        await SeedAsync(9);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?actor=user_1");
        var page = Render<AuditTrail>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=trail] tbody tr").Count));
        Assert.Contains("actor=user_1", page.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Theory]
    [InlineData("/audit", "include_rolled_back=false")]
    [InlineData("/audit?include_rolled_back=true", "include_rolled_back=true")]
    [InlineData("/audit?actor=user_1&include_rolled_back=true", "include_rolled_back=true")]
    public async Task ExportLinks_CarryTheShowRolledBackChoice(string url, string expected)
    {
        await SeedAsync(3);
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        var page = Render<AuditTrail>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=trail] tbody tr")));
        foreach (var button in new[] { "export-csv", "export-json" })
        {
            var href = page.Find($"[data-testid={button}]").GetAttribute("href")!;
            Assert.Contains(expected, href);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(href, "include_rolled_back="));
        }
    }

    [Fact]
    public void FilterForm_KeepsWhatTheUserTyped_WhenThePageReRendersItWithTheSameQuery()
    {
        TrailQuery? applied = null;
        var form = Render<TrailFilterForm>(p => p
            .Add(f => f.Initial, new TrailQuery())
            .Add(f => f.OnApply, (TrailQuery q) => applied = q));
        // The actor field is an autocomplete that keeps free text: typed, then left.
        form.FindAll("input")[0].Input("alice.chen");
        form.FindAll("input")[0].Blur();

        form.Render(p => p.Add(f => f.Initial, new TrailQuery()));
        form.Find("[data-testid=apply-filters]").Click();

        Assert.Equal("alice.chen", applied?.Actor);
    }

    [Fact]
    public void FilterForm_ShowsANewQuery_WhenTheUrlChanges()
    {
        var form = Render<TrailFilterForm>(p => p.Add(f => f.Initial, new TrailQuery(Actor: "alice.chen")));
        form.Render(p => p.Add(f => f.Initial, new TrailQuery(Action: "DEPLOY")));
        Assert.Equal("", form.FindAll("input")[0].GetAttribute("value") ?? "");
        Assert.Equal("DEPLOY", form.FindAll("input")[1].GetAttribute("value"));
    }

    [Fact]
    public async Task ForgivingFilters_FromTheUrl_ShowTheTotal_AndAnyCaseMatches()
    {
        await SeedAsync(9);
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?actor=USER_1&resource=Model&q=step");
        var page = Render<AuditTrail>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=trail] tbody tr").Count));
        Assert.Equal("3 entries", page.Find("[data-testid=trail-total]").TextContent.Trim());
        Assert.Contains("9 entries behind", page.Find("[data-testid=index-behind]").TextContent);
        var export = page.Find("[data-testid=export-json]").GetAttribute("href")!;
        Assert.Contains("resource=Model", export);
        Assert.Contains("q=step", export);
    }

    [Fact]
    public async Task FilterForm_SuggestsActorsPresent_AndSendsAQuickRangeInUtc()
    {
        await SeedAsync(9);
        await Services.GetRequiredService<MonitorConsole.Audit.Search.SearchIndexer>().CatchUpAsync();
        TrailQuery? applied = null;
        var form = Render<TrailFilterForm>(p => p
            .Add(f => f.Initial, new TrailQuery())
            .Add(f => f.OnApply, (TrailQuery q) => applied = q));
        Assert.Contains("UTC", form.Find("[data-testid=filter-zone]").TextContent);

        var actor = form.FindComponents<MudBlazor.MudAutocomplete<string>>()[0];
        var suggestions = (await actor.Instance.SearchFunc!("US", CancellationToken.None)!)!;
        Assert.Equal(["user_0", "user_1", "user_2"], suggestions.Order());

        await form.InvokeAsync(() => form.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("7d"));
        form.Find("[data-testid=apply-filters]").Click();
        var from = DateTimeOffset.Parse(applied!.From!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.EndsWith("Z", applied.From);
        Assert.InRange(DateTimeOffset.UtcNow - from, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Null(applied.To);
    }

    [Fact]
    public void NoMatches_ShowsAnEmptyStateThatSaysWhatToDo()
    {
        var page = Render<AuditTrail>();
        page.WaitForAssertion(() => Assert.Contains("No entries match", page.Find("[data-testid=trail-empty]").TextContent));
    }

    [Fact]
    public void BadTimeFilter_ShowsAMessage_NotAnException()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/audit?from=yesterday");
        var page = Render<AuditTrail>();
        page.WaitForAssertion(() => Assert.Contains("from", page.Find("[data-testid=trail-error]").TextContent));
    }
}

public sealed class EntryAndVerificationPageTests : PageContext
{
    [Fact]
    public async Task TamperedChain_IsReportedWithEachProblemLinkedToItsPlace()
    {
        await SeedAsync(6);
        Tamper("UPDATE audit_entries SET entry_hash = 'ff' || substr(entry_hash, 3) WHERE sequence = 3");
        var page = Render<Verify>();
        page.Find("[data-testid=run-verify]").Click();
        page.WaitForAssertion(() => Assert.Contains("Tampering found", page.Find("[data-testid=verify-invalid]").TextContent), TimeSpan.FromSeconds(10));
        var rows = page.FindAll("[data-testid=verify-problems] tbody tr");
        Assert.Contains(rows, r => r.TextContent.Contains("entry_hash_mismatch"));
        Assert.Contains(rows, r => r.TextContent.Contains("previous_hash_mismatch"));
        Assert.Contains(page.FindAll("a"), a => a.GetAttribute("href") == "audit/entries/4");
    }

    [Fact]
    public async Task EntryDetail_HighlightsTheBrokenLink()
    {
        await SeedAsync(6);
        Tamper("UPDATE audit_entries SET entry_hash = 'ff' || substr(entry_hash, 3) WHERE sequence = 3");
        var page = Render<EntryDetail>(p => p.Add(x => x.Key, "4"));
        page.WaitForAssertion(() => Assert.Contains("broken: expected ff", page.Find("[data-testid=broken-link]").TextContent));
    }

    [Fact]
    public async Task ErasedEntry_TheVerifyPageListsItAsErased_NotAsTampering()
    {
        await SeedAsync(6);
        await Services.GetRequiredService<MonitorConsole.Audit.Chain.ErasureService>().EraseAsync(3, "admin", "request");
        var page = Render<Verify>();
        page.Find("[data-testid=run-verify]").Click();
        page.WaitForAssertion(() => Assert.Contains("1 entry's data erased", page.Find("[data-testid=verify-erased]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Single(page.FindAll("[data-testid=verify-valid]"));
        Assert.Contains(page.FindAll("[data-testid=verify-erased] a"), a => a.GetAttribute("href") == "audit/entries/3");
    }

    [Fact]
    public async Task EntryDetail_DataBlankedWithoutAnErasureRecord_SaysSo()
    {
        await SeedAsync(4);
        Tamper("UPDATE audit_entries SET data = '' WHERE sequence = 2");
        var page = Render<EntryDetail>(p => p.Add(x => x.Key, "2"));
        page.WaitForAssertion(() => Assert.Contains("no ERASURE entry records", page.Find("[data-testid=entry-data-removed]").TextContent));
        Assert.Single(page.FindAll("[data-testid=hash-invalid]"));
    }

    [Fact]
    public void UnknownEntry_SaysSo()
    {
        var page = Render<EntryDetail>(p => p.Add(x => x.Key, "999"));
        page.WaitForAssertion(() => Assert.Contains("No entry has", page.Find("[data-testid=entry-missing]").TextContent));
    }
}

public sealed class ModelAndDriftPageTests : PageContext
{
    [Fact]
    public void NewModel_WithAnInvalidCron_ShowsTheFieldError_AndThePreviewSaysWhy()
    {
        var page = Render<Components.Pages.Models.ModelEdit>();
        Input(page, "model-id").Change("churn");
        Input(page, "model-version").Change("1.0");
        page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<Monitoring.Models.ScheduleKind>>().Instance.ValueChanged.InvokeAsync(Monitoring.Models.ScheduleKind.Custom));
        page.WaitForAssertion(() => Input(page, "cron").Input("every morning"));
        page.WaitForAssertion(() => Assert.Contains("every morning", page.Find("[data-testid=cron-error]").TextContent));
        page.Find("[data-testid=save-model]").Click();
        // The refusal sits at the cron field, in words: no API field name anywhere on the page.
        page.WaitForAssertion(() => Assert.Contains("every morning", page.Find(".mud-input-control:has([data-testid=cron])").TextContent));
        Assert.Empty(page.FindAll("[data-testid=form-error]"));
        Assert.DoesNotContain("schedule_cron", page.Markup, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement Input(IRenderedComponent<Components.Pages.Models.ModelEdit> page, string testId)
    {
        var element = page.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    [Fact]
    public async Task EditModel_WithABaseline_PicksFeaturesFromItsColumns()
    {
        await Services.GetRequiredService<Monitoring.Demo.DemoData>().SeedAsync();
        var page = Render<Components.Pages.Models.ModelEdit>(p => p.Add(x => x.ModelId, "credit_risk"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=feature-picker]")), TimeSpan.FromSeconds(10));
        var picker = page.Find("[data-testid=feature-picker]");
        var input = picker.TagName == "INPUT" ? picker : picker.QuerySelector("input")!;
        Assert.Equal("age, income, debt_ratio, region", input.GetAttribute("value"));
    }

    [Fact]
    public async Task EditModel_KeepsTheUsersChanges_WhenThePageIsRenderedAgainForTheSameModel()
    {
        await Services.GetRequiredService<Monitoring.Demo.DemoData>().SeedAsync();
        var page = Render<Components.Pages.Models.ModelEdit>(p => p.Add(x => x.ModelId, "credit_risk"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=feature-picker]")), TimeSpan.FromSeconds(10));
        Input(page, "model-version").Change("9.9.9");

        page.Render(p => p.Add(x => x.ModelId, "credit_risk"));

        Assert.Equal("9.9.9", Input(page, "model-version").GetAttribute("value"));
    }

    [Fact]
    public void ModelsPage_Empty_SaysHowToStart()
    {
        var page = Render<Components.Pages.Models.ModelList>();
        page.WaitForAssertion(() => Assert.Contains("No models yet", page.Find("[data-testid=models-empty]").TextContent));
    }

    [Fact]
    public async Task DriftPage_AfterDemoData_ChartsHistoryAndListsTheLatestReport()
    {
        await Services.GetRequiredService<Monitoring.Demo.DemoData>().SeedAsync();
        var page = Render<Components.Pages.Drift.DriftModel>(p => p.Add(x => x.ModelId, "credit_risk"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=drift-chart]")), TimeSpan.FromSeconds(10));
        Assert.Equal(5, page.FindAll("[data-testid=latest-report] tbody tr").Count);
        Assert.True(page.FindAll("[data-testid=run-history] tbody tr").Count >= 28);
        Assert.Contains(JSInterop.Invocations, i => i.Identifier == "render");
    }

    [Fact]
    public async Task DriftPage_ListsBatchesThatAFailedRunSetAside_WithTheRunAndItsReason()
    {
        var system = MonitorConsole.Access.Caller.System("tests");
        var models = Services.GetRequiredService<Monitoring.Models.ModelConfigService>();
        await models.ConfigureAsync(system, new Monitoring.Models.ModelConfigInput { ModelId = "m", ModelVersion = "1", Features = ["age"] });
        // Texts pass ingest while there is no baseline; the numeric baseline then fails the run that meets them.
        await Services.GetRequiredService<Monitoring.Ingestion.ObservationService>().IngestCsvAsync(system, "m", new MemoryStream("age\nold\nyoung\n"u8.ToArray()));
        await models.ReplaceBaselineAsync(system, "m", new MemoryStream(System.Text.Encoding.UTF8.GetBytes("age\n" + string.Join('\n', Enumerable.Range(0, 50)))));
        var run = await Services.GetRequiredService<Monitoring.Runs.DriftRunner>().RunScheduledAsync("m", null);

        var page = Render<Components.Pages.Drift.DriftModel>(p => p.Add(x => x.ModelId, "m"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=set-aside] tbody tr")), TimeSpan.FromSeconds(10));
        var row = page.Find("[data-testid=set-aside] tbody tr").TextContent;
        Assert.Contains(run.CheckId, row);
        Assert.Contains("non-numeric value 'old'", row);
    }

    [Fact]
    public async Task Auditor_SeesModelsAndDrift_WithoutChangeControls()
    {
        await Services.GetRequiredService<Monitoring.Demo.DemoData>().SeedAsync();
        SignInAs(ConsoleRoles.Auditor);
        var list = Render<Components.Pages.Models.ModelList>();
        list.WaitForAssertion(() => Assert.Equal(3, list.FindAll("[data-testid=models] tbody tr").Count), TimeSpan.FromSeconds(10));
        Assert.Empty(list.FindAll("[data-testid=new-model]"));
        Assert.DoesNotContain(list.FindAll("button"), b => (b.GetAttribute("aria-label") ?? "").StartsWith("Delete", StringComparison.Ordinal));
        var drift = Render<Components.Pages.Drift.DriftModel>(p => p.Add(x => x.ModelId, "credit_risk"));
        drift.WaitForAssertion(() => Assert.NotNull(drift.Find("[data-testid=drift-chart]")), TimeSpan.FromSeconds(10));
        Assert.Empty(drift.FindAll("[data-testid=run-now]"));
    }

    [Fact]
    public void DriftPage_ForAnUnknownModel_SaysSo()
    {
        var page = Render<Components.Pages.Drift.DriftModel>(p => p.Add(x => x.ModelId, "nope"));
        page.WaitForAssertion(() => Assert.Contains("No model", page.Find("[data-testid=drift-missing]").TextContent));
    }
}

public sealed class CheckpointCardTests : PageContext
{
    [Fact]
    public async Task VerifyPage_SignsACheckpoint_AndShowsTheChainMatchesIt()
    {
        await SeedAsync(5);
        var page = Render<Verify>();
        page.WaitForAssertion(() => page.Find("[data-testid=checkpoint-none]"), TimeSpan.FromSeconds(10));
        page.Find("[data-testid=sign-checkpoint]").Click();
        page.WaitForAssertion(() => Assert.Contains("The chain matches", page.Find("[data-testid=checkpoint-status]").TextContent), TimeSpan.FromSeconds(10));
    }
}

public sealed class LedgerExplainedPageTests : PageContext
{
    [Fact]
    public async Task EntryPage_ExplainsTheHashes_AndSaysNoCheckpointCoversItYet_ThenOffersTheProof()
    {
        await SeedAsync(5);
        var page = Render<EntryDetail>(p => p.Add(x => x.Key, "3"));
        page.WaitForAssertion(() => Assert.Contains("No signed checkpoint covers this entry yet", page.Find("[data-testid=entry-proof-none]").TextContent));
        var legend = page.Find("[data-testid=hash-legend]").TextContent;
        Assert.Contains("Data hash", legend);
        Assert.Contains("Previous hash", legend);
        Assert.Contains("Entry hash", legend);
        Assert.Contains("every 1 hour(s)", page.Find("[data-testid=entry-proof-none]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=proof-download]"));

        await Services.GetRequiredService<MonitorConsole.Audit.Checkpoints.CheckpointService>().CreateAsync();
        var covered = Render<EntryDetail>(p => p.Add(x => x.Key, "3"));
        covered.WaitForAssertion(() => Assert.Contains("entries 1 to 5", covered.Find("[data-testid=entry-proof-covered]").TextContent));
        var link = covered.Find("[data-testid=proof-download]");
        Assert.Equal("api/audit/proofs/inclusion?sequence=3", link.GetAttribute("href"));
        Assert.Equal("inclusion-proof-3.json", link.GetAttribute("download"));
    }

    [Fact]
    public async Task VerifyPage_SaysBothEndsAreIncluded_AndMarksTheBrokenLink()
    {
        await SeedAsync(6);
        Tamper("UPDATE audit_entries SET entry_hash = 'ff' || substr(entry_hash, 3) WHERE sequence = 3");
        var page = Render<Verify>();
        Assert.Contains("Both ends are included", page.Find("[data-testid=verify-range-note]").TextContent);
        Assert.Contains("A break", page.Find("[data-testid=hash-legend]").TextContent);
        page.Find("[data-testid=run-verify]").Click();
        // Entry 4 still names entry 3's old hash: that link is the one marked, under the hash expected (entry 3's, now ff…).
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=verify-problems] tbody tr")), TimeSpan.FromSeconds(10));
        var link = Assert.Single(page.FindAll("[data-testid=verify-problems] tbody tr"), r => r.TextContent.Contains("previous_hash_mismatch"));
        Assert.Contains("expected ff", link.TextContent);
        Assert.StartsWith("found ", link.QuerySelector("[data-testid=broken-link-found]")!.TextContent.Trim());
    }

    [Fact]
    public async Task VerifyFile_AWholeExportOf100000Entries_IsClean_AndAOneByteEdit_NamesTheEntry()
    {
        await SeedAsync(100_000);
        using var export = new MemoryStream();
        await Services.GetRequiredService<MonitorConsole.Audit.Export.AuditExporter>().ExportAsync(export, MonitorConsole.Audit.Export.ExportFormat.Json, null);
        var bytes = export.ToArray();
        Assert.True(bytes.Length > 16 * 1024 * 1024, "the file must be larger than any upload buffer");

        var page = Render<VerifyFile>();
        page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, "audit-chain.json", null, "application/json"));
        page.WaitForAssertion(() => Assert.Contains("100,000 entries", page.Find("[data-testid=file-valid]").TextContent), TimeSpan.FromSeconds(60));

        // One byte of entry 54,321's data changed: {"step":54321} becomes {"step":54329}.
        var at = IndexOf(bytes, System.Text.Encoding.UTF8.GetBytes(":54321}"));
        bytes[at + 6] = (byte)'9';
        page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, "edited.json", null, "application/json"));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=file-invalid]")), TimeSpan.FromSeconds(60));
        var rows = page.FindAll("[data-testid=file-problems] tbody tr");
        Assert.Equal("54321", Assert.Single(rows).QuerySelector("td")!.TextContent.Trim());
        Assert.Contains("data_hash_mismatch", rows[0].TextContent);
    }

    [Fact]
    public async Task VerifyFile_ChecksAProofFileAndACsvExport_AndSaysWhenAFileIsNeither()
    {
        await SeedAsync(20);
        var checkpoint = await Services.GetRequiredService<MonitorConsole.Audit.Checkpoints.CheckpointService>().CreateAsync();
        var entry = (await Services.GetRequiredService<MonitorConsole.Audit.Queries.AuditQueries>().GetBySequenceAsync(7))!.Entry;
        var proof = MonitorConsole.Audit.Merkle.ProofFiles.Inclusion(entry,
            await Services.GetRequiredService<MonitorConsole.Audit.Merkle.LedgerProofs>().InclusionAsync(7, checkpoint.TreeSize), checkpoint);
        using var csv = new MemoryStream();
        await Services.GetRequiredService<MonitorConsole.Audit.Export.AuditExporter>().ExportAsync(csv, MonitorConsole.Audit.Export.ExportFormat.Csv, null);

        var page = Render<VerifyFile>();
        void Upload(byte[] content, string name) =>
            page.FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, name));
        Upload(System.Text.Encoding.UTF8.GetBytes(proof), "inclusion-proof-7.json");
        page.WaitForAssertion(() => Assert.Contains("proof holds", page.Find("[data-testid=file-valid]").TextContent));
        Upload(System.Text.Encoding.UTF8.GetBytes(proof.Replace(entry.Actor, "mallory", StringComparison.Ordinal)), "edited-proof.json");
        page.WaitForAssertion(() => Assert.Contains("does NOT hold", page.Find("[data-testid=file-invalid]").TextContent));
        Upload(csv.ToArray(), "audit-chain.csv");
        page.WaitForAssertion(() => Assert.Contains("20 entries", page.Find("[data-testid=file-valid]").TextContent));
        Upload("hello"u8.ToArray(), "notes.txt");
        page.WaitForAssertion(() => Assert.Contains("could not be read", page.Find("[data-testid=file-invalid]").TextContent));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        var at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0);
        Assert.Equal(-1, haystack.AsSpan(at + 1).IndexOf(needle));
        return at;
    }
}

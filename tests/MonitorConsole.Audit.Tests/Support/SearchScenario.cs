using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Search;

namespace MonitorConsole.Audit.Tests.Support;

/// <summary>
/// Forgiving search, run the same way on every database: filters in any case, a resource as "type/id", words in data
/// and details, totals and suggestions — both for entries the index holds and for entries appended after its last pass.
/// </summary>
public static class SearchScenario
{
    public static async Task RunAsync(LedgerFixture ledger)
    {
        await ledger.Writer.AppendAsync(new AuditEntryDraft("MODEL_UPDATED", "Alice.Smith", "model", "credit_risk",
            """{"dataset":"loans_2024_q3.csv","rows":1200}""", """{"reason":"Quarterly Refresh"}"""));
        await ledger.Writer.AppendAsync(new AuditEntryDraft("DRIFT_CHECKED", "bob", "model", "churn", """{"dataset":"events.parquet"}"""));
        await ledger.Writer.AppendAsync(new AuditEntryDraft("MODEL_UPDATED", "alice.smith", "dataset", "loans"));

        // Nothing indexed yet: every filter falls back to reading the entries directly.
        Assert.Equal(3, (await ledger.Search.StatusAsync()).Behind);
        await AssertMatchesAsync(ledger);

        Assert.Equal(3, await ledger.Search.CatchUpAsync());
        Assert.Equal(0, (await ledger.Search.StatusAsync()).Behind);
        await AssertMatchesAsync(ledger);

        // An entry after the index's mark is found together with the indexed ones.
        await ledger.Writer.AppendAsync(new AuditEntryDraft("MODEL_UPDATED", "ALICE.SMITH", "model", "credit_risk", """{"dataset":"LOANS_2024_Q4.csv"}"""));
        Assert.Equal(1, (await ledger.Search.StatusAsync()).Behind);
        Assert.Equal("4,1", await SequencesAsync(ledger, new TrailFilter { Text = "loans 2024" }));
        Assert.Equal("4,3,1", await SequencesAsync(ledger, new TrailFilter { Actor = "alice.SMITH" }));

        Assert.Equal("Alice.Smith,alice.smith", Sorted(await ledger.Queries.SuggestAsync(SearchFields.Actor, "AL")));
        Assert.Equal("model,model/churn,model/credit_risk", Sorted(await ledger.Queries.SuggestAsync(SearchFields.Resource, "mod")));
        Assert.Equal("MODEL_UPDATED", Sorted(await ledger.Queries.SuggestAsync(SearchFields.Action, "model_")));
        Assert.Empty(await ledger.Queries.SuggestAsync(SearchFields.Action, "%"));
    }

    private static async Task AssertMatchesAsync(LedgerFixture ledger)
    {
        Assert.Equal("3,1", await SequencesAsync(ledger, new TrailFilter { Actor = "ALICE.smith" }));
        Assert.Equal("3,1", await SequencesAsync(ledger, new TrailFilter { Action = "model_updated" }));
        Assert.Equal("1", await SequencesAsync(ledger, new TrailFilter().WithResource("Model/Credit_Risk")));
        Assert.Equal("2,1", await SequencesAsync(ledger, new TrailFilter().WithResource("model")));
        Assert.Equal("1", await SequencesAsync(ledger, new TrailFilter { Text = "loans_2024" }));
        Assert.Equal("1", await SequencesAsync(ledger, new TrailFilter { Text = "quarterly refresh" }));
        Assert.Equal("2,1", await SequencesAsync(ledger, new TrailFilter { Text = "DATASET" }));
        Assert.Equal("", await SequencesAsync(ledger, new TrailFilter { Text = "loans churn" }));
        Assert.Equal(2, await ledger.Queries.CountAsync(new TrailFilter { Actor = "Alice.Smith" }));
        Assert.Equal(1, await ledger.Queries.CountAsync(new TrailFilter { Text = "parquet", Action = "drift_checked" }));
    }

    private static string Sorted(IEnumerable<string> values) => string.Join(',', values.Order(StringComparer.Ordinal));

    private static async Task<string> SequencesAsync(LedgerFixture ledger, TrailFilter filter) =>
        string.Join(',', (await ledger.Queries.GetTrailAsync(filter)).Entries.Select(v => v.Entry.Sequence));
}

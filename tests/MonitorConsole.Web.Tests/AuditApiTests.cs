using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MonitorConsole.Access;

namespace MonitorConsole.Web.Tests;

public sealed class AuditApiTests : IAsyncLifetime
{
    private readonly ConsoleFactory _factory = new();

    // A service with every key scope appends and reads; an auditor's session verifies and exports.
    private HttpClient _client = default!;
    private HttpClient _auditor = default!;

    public async ValueTask InitializeAsync()
    {
        _client = await _factory.KeyClientAsync(ApiKeyScopes.All.ToArray());
        _auditor = await _factory.SignInAsync(ConsoleRoles.Auditor);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task PostEntry_Returns201WithIdAndHash_AndGetById_ReturnsIt()
    {
        var response = await Post("""{"action":"UPDATE","actor":"alice","resource_type":"model","resource_id":"m1","data":{"threshold":0.9}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await Json(response);
        var id = created.GetProperty("entry_id").GetString()!;
        Assert.Equal(LedgerBefore + 1, created.GetProperty("sequence").GetInt64());

        var entry = await Json(await _client.GetAsync($"/api/audit/entries/{id}"));
        Assert.Equal("""{"threshold":0.9}""", entry.GetProperty("data").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/audit/entries/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task PostArray_AppendsABatch()
    {
        var response = await Post("""[{"action":"A","actor":"x","resource_type":"t"},{"action":"B","actor":"y","resource_type":"t"}]""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, (await Json(response)).GetProperty("entries").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"action":"","actor":"a","resource_type":"t"}""", "action")]
    [InlineData("""{"action":"A","actor":5,"resource_type":"t"}""", "body.actor")]
    [InlineData("""[{"action":"A","actor":"a","resource_type":"t"},{"action":"A","actor":"a"}]""", "entries[1].resource_type")]
    [InlineData("""{"action":"A","actor":"a","resource_type":"t","data":{"x":1e999}}""", "data.x")]
    [InlineData("""{"action":"ROLLBACK","actor":"a","resource_type":"t"}""", "action")]
    [InlineData("""{"action":"A","actor":"\ud800","resource_type":"t"}""", "body.actor")]
    [InlineData("""{not json""", "body")]
    [InlineData("""42""", "body")]
    public async Task BadEntries_Get400ProblemDetailsNamingTheField_AndNothingIsWritten(string body, string field)
    {
        var response = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, (await Json(response)).GetProperty("field").GetString());
        var stats = await Json(await _client.GetAsync("/api/audit/stats"));
        Assert.Equal(LedgerBefore, stats.GetProperty("total_entries").GetInt64());
    }

    [Fact]
    public async Task Trail_FiltersAndPagesNewestFirst()
    {
        for (var i = 0; i < 7; i++) await Post($$"""{"action":"UPDATE","actor":"user_{{i % 2}}","resource_type":"model","resource_id":"m"}""");
        var first = await Json(await _client.GetAsync("/api/audit/entries?actor=user_0&limit=2"));
        Assert.Equal([LedgerBefore + 7L, LedgerBefore + 5L], first.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        var cursor = first.GetProperty("next_cursor").GetInt64();
        var second = await Json(await _client.GetAsync($"/api/audit/entries?actor=user_0&limit=2&cursor={cursor}"));
        Assert.Equal([LedgerBefore + 3L, LedgerBefore + 1L], second.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/audit/entries?from=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/audit/entries?limit=0")).StatusCode);
    }

    [Fact]
    public async Task Trail_ForgivesCase_ReadsTypeSlashId_FindsWords_AndCountsTheTotal()
    {
        await Post("""{"action":"MODEL_UPDATED","actor":"Dana.Lee","resource_type":"model","resource_id":"credit_risk","data":{"dataset":"loans_q3.csv"}}""");
        await Post("""{"action":"MODEL_UPDATED","actor":"dana.lee","resource_type":"model","resource_id":"churn","details":{"note":"Loans refresh"}}""");
        await Post("""{"action":"DRIFT_CHECKED","actor":"eve","resource_type":"model","resource_id":"credit_risk"}""");

        async Task<string> TrailAsync(string query)
        {
            var body = await Json(await _client.GetAsync("/api/audit/entries?" + query));
            var sequences = body.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64() - LedgerBefore);
            return $"{body.GetProperty("total").GetInt64()}: {string.Join(",", sequences)}";
        }
        Assert.Equal("2: 2,1", await TrailAsync("actor=DANA.LEE"));
        Assert.Equal("2: 3,1", await TrailAsync("resource=Model/Credit_Risk"));
        Assert.Equal("2: 2,1", await TrailAsync("q=LOANS&action=model_updated"));
        var paged = await Json(await _client.GetAsync("/api/audit/entries?resource=model&limit=1"));
        Assert.True(paged.GetProperty("total").GetInt64() >= 3);
        Assert.Single(paged.GetProperty("entries").EnumerateArray());
        var suggestions = await Json(await _client.GetAsync("/api/audit/suggestions?field=actor&prefix=DAN"));
        Assert.True(suggestions.GetProperty("values").GetArrayLength() <= 20);
        var badQ = await _client.GetAsync("/api/audit/entries?q=%21%21");
        Assert.Equal(HttpStatusCode.BadRequest, badQ.StatusCode);
        Assert.Equal("q", (await Json(badQ)).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/audit/suggestions?field=data")).StatusCode);
    }

    [Fact]
    public async Task Verify_ReturnsTheSnakeCaseResult()
    {
        await Post("""{"action":"A","actor":"a","resource_type":"t"}""");
        var result = await Json(await _auditor.PostAsync("/api/audit/verify", null));
        Assert.True(result.GetProperty("valid").GetBoolean());
        Assert.Equal(LedgerBefore + 1, result.GetProperty("total_entries").GetInt64());
        var bad = await _auditor.PostAsync("/api/audit/verify", new StringContent("""{"from":"not a time"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Export_StreamsJsonAndCsv_WithDatedFileNames()
    {
        await Post("""{"action":"=cmd","actor":"a","resource_type":"t"}""");
        var json = await _auditor.GetAsync("/api/audit/export?format=json");
        Assert.Matches("""attachment; filename="audit-chain-\d{4}-\d{2}-\d{2}\.json" """.Trim(), json.Content.Headers.ContentDisposition!.ToString());
        using (var doc = JsonDocument.Parse(await json.Content.ReadAsStringAsync()))
            Assert.Equal("monitorconsole.audit.v1", doc.RootElement.GetProperty("format").GetString());
        var csv = await _auditor.GetAsync("/api/audit/export?format=csv&actor=a");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("audit-trail-", csv.Content.Headers.ContentDisposition!.ToString());
        Assert.Contains(",'=cmd,", await csv.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await _auditor.GetAsync("/api/audit/export?format=xml")).StatusCode);
    }

    [Fact]
    public async Task TrailExport_HoldsRolledBackEntries_ExactlyWhenTheTrailShowsThem()
    {
        var kept = (await Json(await Post("""{"action":"DEPLOY","actor":"ci","resource_type":"model"}"""))).GetProperty("entry_hash").GetString();
        var undone = new List<long>();
        for (var i = 0; i < 2; i++)
            undone.Add((await Json(await Post("""{"action":"DEPLOY","actor":"ci","resource_type":"model"}"""))).GetProperty("sequence").GetInt64());
        var admin = await _factory.SignInAsync(ConsoleRoles.Admin);
        var rollback = await admin.PostAsync("/api/audit/rollback",
            new StringContent($$"""{"to_hash":"{{kept}}","reason":"bad deploy"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);

        foreach (var include in new[] { "false", "true" })
        {
            var export = await _auditor.GetAsync($"/api/audit/export?format=json&include_rolled_back={include}");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            using var doc = JsonDocument.Parse(await export.Content.ReadAsStringAsync());
            var exported = doc.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ToList();
            // The trail as the page shows it, read after the export, so both hold the export's own record.
            var trail = await Json(await _auditor.GetAsync($"/api/audit/entries?include_rolled_back={include}&limit=1000"));
            var shown = trail.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64())
                .Where(n => n <= exported.Max()).Order().ToList();

            Assert.Equal(shown, exported);
            if (include == "true") Assert.Subset(exported.ToHashSet(), undone.ToHashSet());
            else Assert.DoesNotContain(exported, undone.Contains);
        }
    }

    [Fact]
    public async Task Erase_ByAnAdmin_BlanksTheData_KeepsTheChainValid_AndIsRefusedToOthersAndTwice()
    {
        var created = await Json(await Post("""{"action":"UPDATE","actor":"hr","resource_type":"person","resource_id":"p1","data":{"name":"Zebulon Quimby"}}"""));
        var sequence = created.GetProperty("sequence").GetInt64();
        var id = created.GetProperty("entry_id").GetString();
        var admin = await _factory.SignInAsync(ConsoleRoles.Admin);
        static HttpContent Reason(string reason) => new StringContent($$"""{"reason":"{{reason}}"}""", Encoding.UTF8, "application/json");

        Assert.Equal(HttpStatusCode.Forbidden, (await _auditor.PostAsync($"/api/audit/entries/{sequence}/erase", Reason("x"))).StatusCode);
        var erased = await admin.PostAsync($"/api/audit/entries/{sequence}/erase", Reason("GDPR request 9"));
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var result = await Json(erased);
        Assert.Equal(sequence, result.GetProperty("erased_sequence").GetInt64());
        Assert.Equal(created.GetProperty("entry_hash").GetString(), result.GetProperty("erased_entry_hash").GetString());

        var entry = await Json(await _client.GetAsync($"/api/audit/entries/{id}"));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("data").ValueKind);
        Assert.True(entry.GetProperty("data_erased").GetBoolean());
        var verification = await Json(await _auditor.PostAsync("/api/audit/verify", null));
        Assert.True(verification.GetProperty("valid").GetBoolean());
        Assert.Equal(1, verification.GetProperty("erased_count").GetInt64());
        Assert.Equal(sequence, verification.GetProperty("erased_entries")[0].GetProperty("sequence").GetInt64());

        var again = await admin.PostAsync($"/api/audit/entries/{sequence}/erase", Reason("again"));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("sequence", (await Json(again)).GetProperty("field").GetString());
        var ledgerRecord = await admin.PostAsync($"/api/audit/entries/{result.GetProperty("erasure_entry").GetProperty("sequence").GetInt64()}/erase", Reason("x"));
        Assert.Equal(HttpStatusCode.BadRequest, ledgerRecord.StatusCode);
        Assert.Equal("sequence", (await Json(ledgerRecord)).GetProperty("field").GetString());
        var noReason = await admin.PostAsync($"/api/audit/entries/{sequence - 1}/erase", Reason(" "));
        Assert.Equal("reason", (await Json(noReason)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task HealthAndOpenApiAndOverview_Answer()
    {
        var health = await Json(await _factory.Anonymous().GetAsync("/health"));
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var openapi = await Json(await _auditor.GetAsync("/openapi/v1.json"));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/audit/entries", out _));
        var page = await _auditor.GetStringAsync("/");
        Assert.Contains("Overview", page);
    }

    /// <summary>USER_CREATED for the bootstrap administrator and the auditor, API_KEY_CREATED, and the auditor's SIGN_IN.</summary>
    private const long LedgerBefore = 4;

    private Task<HttpResponseMessage> Post(string body) =>
        _client.PostAsync("/api/audit/entries", new StringContent(body, Encoding.UTF8, "application/json"));

    internal static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}

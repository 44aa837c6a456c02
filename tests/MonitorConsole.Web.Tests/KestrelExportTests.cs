using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Web.Tests;

/// <summary>
/// The console on a real Kestrel socket (not TestServer, which accepts the synchronous writes Kestrel refuses) with a
/// ledger of more than 100,000 entries, many with cells a spreadsheet would run, and a few thousand drift runs.
/// </summary>
public sealed class KestrelConsole : IAsyncLifetime
{
    public const int Entries = 100_000;
    public const int Runs = 3_000;

    public ConsoleFactory Factory { get; } = new();

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mc-kestrel-exports", Guid.NewGuid().ToString("N"));

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        Factory.UseKestrel(0);
        Factory.StartServer();
        await Factory.Services.GetRequiredService<AuditWriter>().AppendStreamAsync(Drafts(), TestContext.Current.CancellationToken);
        await using var db = await Factory.Services.GetRequiredService<MonitoringDatabase>().CreateDbContextAsync();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.Runs.AddRange(Enumerable.Range(0, Runs).Select(i => new DriftRun
        {
            CheckId = $"check-{i:D6}", ModelId = i % 2 == 0 ? "churn" : "=fraud", ModelVersion = "1.0.0",
            Timestamp = start.AddMinutes(i), Status = RunStatus.Completed, DurationMs = 12.5,
            MetricsJson = $$"""{"psi":{"age":0.{{i % 97:D2}},"income":0.12},"note":"ünïcode, \"quoted\", comma"}""",
        }));
        await db.SaveChangesAsync();
    }

    private static async IAsyncEnumerable<AuditEntryDraft> Drafts([EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 0; i < Entries; i++)
        {
            ct.ThrowIfCancellationRequested();
            yield return new AuditEntryDraft(i % 5 == 0 ? "=SUM(A1)" : "MODEL_UPDATED", i % 7 == 0 ? "+mallory" : $"user_{i % 40}",
                "model", $"m{i % 300}", $$"""{"i":{{i}},"note":"ümlaut, \"quoted\", comma\nsecond line"}""");
        }
        await Task.CompletedTask;
    }

    /// <summary>The address Kestrel listens on (a free loopback port).</summary>
    public Uri BaseAddress => new(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
        .Addresses.First().Replace("[::1]", "localhost", StringComparison.Ordinal));

    public async Task EnsureAuditorAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        if (!(await accounts.ListAsync(Caller.System("tests"))).Any(u => u.UserName == "auditor"))
            await accounts.AddAsync(Caller.System("tests"), "auditor", ConsoleRoles.Auditor, ConsoleFactory.Password);
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>Downloads over a real socket: whole at any size, verifiable offline, and recorded as what was sent.</summary>
public sealed class KestrelExportTests(KestrelConsole console) : IClassFixture<KestrelConsole>
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task ChainExport_Over100kEntries_ArrivesWhole_VerifiesOffline_AndItsDeliveryRecordMatchesTheFile(string format)
    {
        using var client = await SignedInClientAsync();
        var path = Path.Combine(console.Folder, $"chain.{format}");
        await DownloadAsync(client, $"/api/audit/export?format={format}", path);

        var verification = await ExportVerifier.VerifyFileAsync(path, ct: TestContext.Current.CancellationToken);
        Assert.True(verification.Complete, verification.Summary);
        Assert.True(verification.TotalEntries > KestrelConsole.Entries);
        Assert.Equal(format == "csv", StartsWithBom(path));

        var delivered = await RecordOfFileAsync(client, LedgerVocabulary.LedgerExportDeliveredAction, path);
        Assert.Equal(new FileInfo(path).Length, delivered.GetProperty("bytes").GetInt64());
        Assert.Equal(verification.TotalEntries, delivered.GetProperty("entry_count").GetInt64());
        Assert.Equal(1, delivered.GetProperty("first_sequence").GetInt64());
        Assert.Equal(verification.LastSequence, delivered.GetProperty("last_sequence").GetInt64());
        Assert.Equal(verification.LastEntryHash, delivered.GetProperty("last_entry_hash").GetString());
        // The chain export holds the LEDGER_EXPORTED entry its delivery record names.
        var exported = delivered.GetProperty("export_entry_id").GetString()!;
        Assert.Contains(exported, await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task TrailExport_OfTensOfThousandsOfEntries_ArrivesWhole_AndEachEntryVerifies(string format)
    {
        using var client = await SignedInClientAsync();
        var path = Path.Combine(console.Folder, $"trail.{format}");
        await DownloadAsync(client, $"/api/audit/export?format={format}&resource_type=model", path);

        var verification = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail, ct: TestContext.Current.CancellationToken);
        Assert.Equal(ExportOutcomes.EntriesValid, verification.Outcome);
        Assert.True(verification.TotalEntries >= KestrelConsole.Entries, verification.Summary);
        var delivered = await RecordOfFileAsync(client, LedgerVocabulary.LedgerExportDeliveredAction, path);
        Assert.Equal("trail", delivered.GetProperty("scope").GetString());
        Assert.Equal(verification.TotalEntries, delivered.GetProperty("entry_count").GetInt64());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    public async Task RunHistoryExport_LargerThanAnyBuffer_ArrivesWhole_AndItsDeliveryRecordMatchesTheFile(string format)
    {
        using var client = await SignedInClientAsync();
        var path = Path.Combine(console.Folder, $"runs.{format}");
        await DownloadAsync(client, $"/api/runs/export?format={format}", path);

        Assert.True(new FileInfo(path).Length > 256 * 1024, "the file must be larger than any writer's buffer");
        if (format == "csv")
        {
            Assert.True(StartsWithBom(path));
            var lines = File.ReadAllLines(path);
            Assert.Equal(KestrelConsole.Runs + 1, lines.Length);
            Assert.StartsWith("check-002999,\"'=fraud\",", lines[^1]); // CsvHelper quotes the cell it escapes
        }
        else
        {
            await using var stream = File.OpenRead(path);
            using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(KestrelConsole.Runs, doc.RootElement.GetProperty("runs").GetArrayLength());
        }
        var delivered = await RecordOfFileAsync(client, LedgerVocabulary.RunsExportDeliveredAction, path);
        Assert.Equal(KestrelConsole.Runs, delivered.GetProperty("run_count").GetInt32());
        Assert.Equal("check-000000", delivered.GetProperty("first_check_id").GetString());
        Assert.Equal("check-002999", delivered.GetProperty("last_check_id").GetString());
    }

    [Fact]
    public async Task EvidencePack_OfThousandsOfEntries_ArrivesWhole_VerifiesOffline_AndIsRecordedWithItsSha256()
    {
        using var client = await SignedInClientAsync();
        var path = Path.Combine(console.Folder, "evidence.zip");
        using (var response = await client.PostAsync("/api/audit/evidence?actor=user_3", null, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
            await using (var file = File.Create(path)) await response.Content.CopyToAsync(file, TestContext.Current.CancellationToken);
            await using var written = File.OpenRead(path);
            Assert.Equal(response.Headers.GetValues("X-Evidence-Pack-Sha256").Single(),
                Convert.ToHexStringLower(await SHA256.HashDataAsync(written, TestContext.Current.CancellationToken)));
        }
        Assert.True(new FileInfo(path).Length > 256 * 1024, "the pack must be larger than any writer's buffer");

        var keys = console.Factory.Services.GetRequiredService<Audit.Checkpoints.CheckpointKeys>();
        var keyId = keys.Signing().KeyId;
        var result = await Audit.Evidence.EvidenceVerifier.VerifyFileAsync(path,
            new Audit.Evidence.EvidenceTrust(keys.Trusted(keyId), [], TimeSpan.FromMinutes(5)), TestContext.Current.CancellationToken);
        Assert.True(result.Valid, string.Join("\n", result.Checks.Select(c => $"{c.Title}: {c.Detail}")));
        // user_3 wrote every 40th entry, except those mallory wrote.
        var expected = Enumerable.Range(0, KestrelConsole.Entries).Count(i => i % 40 == 3 && i % 7 != 0);
        Assert.Equal(expected, result.Entries);

        var made = await RecordOfFileAsync(client, LedgerVocabulary.EvidencePackMadeAction, path);
        Assert.Equal(new FileInfo(path).Length, made.GetProperty("bytes").GetInt64());
        Assert.Equal(expected, made.GetProperty("entry_count").GetInt64());
    }

    [Fact]
    public async Task ChainExport_WhoseClientHangsUpMidStream_IsRecordedAsInterrupted_AndNeverAsDelivered()
    {
        using var client = await SignedInClientAsync();
        var received = 0L;
        using (var response = await client.GetAsync("/api/audit/export?format=csv", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            var buffer = new byte[64 * 1024];
            while (received < 2 * 1024 * 1024)
            {
                var read = await body.ReadAsync(buffer, TestContext.Current.CancellationToken);
                Assert.True(read > 0, "the export ended before the client hung up");
                received += read;
            }
        }
        client.Dispose(); // closes the connection with most of the file unread

        var interrupted = await AwaitEntryAsync(LedgerVocabulary.LedgerExportInterruptedAction, _ => true);
        var data = JsonDocument.Parse(interrupted.Data).RootElement;
        Assert.Equal(ExportDelivery.Aborted, data.GetProperty("reason").GetString());
        Assert.InRange(data.GetProperty("bytes").GetInt64(), received, long.MaxValue);
        Assert.Equal(64, data.GetProperty("sha256").GetString()!.Length);
        var exportId = data.GetProperty("export_entry_id").GetString();
        var trail = await Queries.GetTrailAsync(new Audit.Queries.TrailFilter { Action = LedgerVocabulary.LedgerExportDeliveredAction }, limit: 500,
            ct: TestContext.Current.CancellationToken);
        Assert.DoesNotContain(trail.Entries, e => e.Entry.Data.Contains(exportId!, StringComparison.Ordinal));
    }

    private Audit.Queries.AuditQueries Queries => console.Factory.Services.GetRequiredService<Audit.Queries.AuditQueries>();

    /// <summary>A client on its own connections that signs in through the form and never drains an abandoned response.</summary>
    private async Task<HttpClient> SignedInClientAsync()
    {
        await console.EnsureAuditorAsync();
        var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer(), MaxResponseDrainSize = 0,
        })
        {
            BaseAddress = console.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var signIn = await ConsoleFactory.PostSignInAsync(client, "auditor", ConsoleFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private static async Task DownloadAsync(HttpClient client, string url, string path)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var file = File.Create(path);
        // A response cut off mid-stream throws here (the chunked body never ends properly).
        await response.Content.CopyToAsync(file, TestContext.Current.CancellationToken);
    }

    /// <summary>The completion record whose sha256 is the file's, as an auditor finds it: sha256sum FILE.</summary>
    private async Task<JsonElement> RecordOfFileAsync(HttpClient client, string action, string path)
    {
        string sha256;
        await using (var file = File.OpenRead(path)) sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, TestContext.Current.CancellationToken));
        var entry = await AwaitEntryAsync(action, data => data.Contains($"\"sha256\":\"{sha256}\"", StringComparison.Ordinal));
        // The same record through the API, as an auditor's client reads it.
        var viaApi = await client.GetFromJsonAsync<JsonElement>($"/api/audit/entries/{entry.EntryId}", TestContext.Current.CancellationToken);
        Assert.Equal(action, viaApi.GetProperty("action").GetString());
        return JsonDocument.Parse(entry.Data).RootElement.Clone();
    }

    /// <summary>
    /// The completion entry is written once the server has finished the response, which may be a moment after the
    /// client has read its last byte; wait for it (at most 30 s) rather than racing it.
    /// </summary>
    private async Task<AuditEntry> AwaitEntryAsync(string action, Func<string, bool> matches)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var trail = await Queries.GetTrailAsync(new Audit.Queries.TrailFilter { Action = action }, limit: 500, ct: TestContext.Current.CancellationToken);
            var found = trail.Entries.Select(e => e.Entry).FirstOrDefault(e => matches(e.Data));
            if (found is not null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no {action} entry appeared within 30 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    private static bool StartsWithBom(string path)
    {
        using var file = File.OpenRead(path);
        var start = new byte[3];
        return file.Read(start) == 3 && start.AsSpan().SequenceEqual(Bom);
    }
}

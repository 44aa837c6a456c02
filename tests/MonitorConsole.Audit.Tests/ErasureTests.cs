using System.Text.Json;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Audit.Tests;

/// <summary>
/// Erasure of an entry's data text (issue #14): the chain still verifies and reports the entry as erased; the database
/// lets data be blanked only once an ERASURE entry names the entry; anything else that removes data is tampering, in
/// the database and in exports. Played on SQLite, PostgreSQL, MySQL/MariaDB and SQL Server (servers skip unless configured).
/// </summary>
public sealed class ErasureTests
{
    private const int Size = 12;
    private const int Target = 5;

    public static TheoryData<string> Providers => [.. Insider.Providers];

    private static string BlankData(long sequence) => $"UPDATE audit_entries SET data = '' WHERE sequence = {sequence}";

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Erase_KeepsTheChainValid_AndVerificationListsTheEntryAsErased(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var before = await insider.EntryAsync(Target);

        var result = await insider.Ledger.Erasure.EraseAsync(Target, "admin", "GDPR request 42");

        var erased = await insider.EntryAsync(Target);
        Assert.Equal("", erased.Data);
        Assert.Equal(before.DataHash, erased.DataHash);
        Assert.Equal(before.EntryHash, erased.EntryHash);
        Assert.Equal(before.Details, erased.Details);
        Assert.Equal(LedgerVocabulary.ErasureAction, result.ErasureEntry.Action);
        Assert.Equal(Size + 1, result.ErasureEntry.Sequence);
        using (var data = JsonDocument.Parse(result.ErasureEntry.Data))
        {
            Assert.Equal(Target, data.RootElement.GetProperty("erased_sequence").GetInt64());
            Assert.Equal(before.EntryHash, data.RootElement.GetProperty("erased_entry_hash").GetString());
            Assert.Equal("GDPR request 42", data.RootElement.GetProperty("reason").GetString());
        }
        Assert.DoesNotContain("threshold", result.ErasureEntry.Data);
        // The opening the database guards match on (docs/hash-chain.md).
        Assert.StartsWith(ErasureRecord.Opening(Target, before.EntryHash), result.ErasureEntry.Data);

        var verification = await insider.Ledger.Verifier.VerifyAsync();
        Assert.True(verification.Valid);
        Assert.Equal(Size + 1, verification.VerifiedEntries);
        Assert.Equal(1, verification.ErasedCount);
        var listed = Assert.Single(verification.ErasedEntries);
        Assert.Equal((Target, Size + 1L), (listed.Sequence, listed.ErasedBySequence));

        // A range ending before the ERASURE entry still finds it.
        var prefix = await insider.Ledger.Verifier.VerifyAsync(new VerificationScope(ToSequence: Target + 1));
        Assert.True(prefix.Valid);
        Assert.Equal(1, prefix.ErasedCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task BlankingDataWithoutAnErasureEntry_IsRefusedByTheDatabase_AndWithGuardsOffReportedAsTampering(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        await insider.RefusedAsync(BlankData(Target));
        Assert.Equal(0, (await insider.Ledger.Verifier.VerifyAsync()).ErasedCount);

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(BlankData(Target));
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        var problem = Assert.Single(result.InvalidEntries);
        Assert.Equal((Target, ErasureProblems.DataRemoved), (problem.Sequence, problem.Reason));
        Assert.Equal(0, result.ErasedCount);
        Assert.Equal(Size - 1, result.VerifiedEntries);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AfterAnErasure_TheDatabaseStillRefusesEveryOtherChange(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var original = (await insider.EntryAsync(Target)).Data.Replace("'", "''", StringComparison.Ordinal);
        var erasure = await insider.Ledger.Erasure.EraseAsync(Target, "admin", "request");

        await insider.RefusedAsync($"UPDATE audit_entries SET data = '{original}' WHERE sequence = {Target}");
        await insider.RefusedAsync(BlankData(Target + 1));
        await insider.RefusedAsync(BlankData(erasure.ErasureEntry.Sequence));
        await insider.RefusedAsync($"UPDATE audit_entries SET actor = 'mallory' WHERE sequence = {Target}");
        await insider.RefusedAsync($"DELETE FROM audit_entries WHERE sequence = {Target}");
        Assert.True((await insider.Ledger.Verifier.VerifyAsync()).Valid);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AnErasureEntryNamingAnotherEntryHash_DoesNotLetDataBeBlanked_NorLegitimiseIt(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var head = await insider.EntryAsync(Size);
        var forged = ForgedErasure(head, Target, new string('a', 64));
        await insider.ExecAsync(Insider.InsertSql(forged));
        await insider.RefusedAsync(BlankData(Target));

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(BlankData(Target));
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target && i.Reason == ErasureProblems.DataRemoved);
        Assert.Equal(0, result.ErasedCount);
    }

    [Fact]
    public async Task AnErasureEntryWrittenBeforeTheEntryItNames_DoesNotLegitimiseIt()
    {
        await using var insider = await Insider.OpenAsync(Insider.Sqlite, Size);
        var target = await insider.EntryAsync(Size);
        // The ERASURE entry at Size + 1 names Size + 2; the entry at Size + 2 is then blanked with guards off.
        await insider.ExecAsync(Insider.InsertSql(ForgedErasure(target, Size + 2, new string('b', 64))));
        var next = await insider.Ledger.Writer.AppendAsync(Drafts.Entry(99));
        await insider.DisableGuardsAsync();
        await insider.ExecAsync(BlankData(next.Sequence));

        var result = await insider.Ledger.Verifier.VerifyAsync();
        Assert.Contains(result.InvalidEntries, i => i.Sequence == next.Sequence && i.Reason == ErasureProblems.DataRemoved);
    }

    [Fact]
    public async Task ErasingTheLedgersOwnRecords_OrTwice_OrNothing_IsRefusedNamingTheField_AndWritesNothing()
    {
        await using var ledger = new LedgerFixture();
        var entries = await ledger.SeedAsync(6);
        var rollback = await ledger.Rollback.RollbackAsync(entries[3].EntryHash, "admin", "bad deploy");
        var erasure = await ledger.Erasure.EraseAsync(2, "admin", "request");
        var rows = await ledger.CountRowsAsync();

        foreach (var (sequence, words) in new[]
                 {
                     (rollback.RollbackEntry.Sequence, "ROLLBACK entry"),
                     (erasure.ErasureEntry.Sequence, "ERASURE entry"),
                     (2L, "already been erased"),
                     (99L, "no entry has sequence 99"),
                     (0L, "must be 1 or more"),
                 })
        {
            var error = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Erasure.EraseAsync(sequence, "admin", "again"));
            Assert.Equal("sequence", error.Field);
            Assert.Contains(words, error.Problem);
        }
        Assert.Equal("reason", (await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Erasure.EraseAsync(3, "admin", " "))).Field);
        Assert.Equal(rows, await ledger.CountRowsAsync());
        await Assert.ThrowsAsync<AuditValidationException>(() =>
            ledger.Writer.AppendAsync(new AuditEntryDraft(LedgerVocabulary.ErasureAction, "mallory", "audit_ledger")));
    }

    [Fact]
    public async Task ErasingATamperedEntry_IsRefused_SoTheEvidenceStays()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(6);
        ledger.Tamper("UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 3");
        var error = await Assert.ThrowsAsync<AuditOperationException>(() => ledger.Erasure.EraseAsync(3, "admin", "cover up"));
        Assert.Contains("does not hold its own hashes", error.Message);
    }

    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.Csv)]
    public async Task AnExportOfAnErasedEntry_MarksItErased_AndPassesOfflineVerification(ExportFormat format)
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(Size);
        await ledger.Erasure.EraseAsync(Target, "admin", "request");

        var bytes = await ExportAsync(ledger, format);
        if (format == ExportFormat.Json)
        {
            using var document = JsonDocument.Parse(bytes);
            var entries = document.RootElement.GetProperty("entries");
            Assert.Equal(JsonValueKind.Null, entries[Target - 1].GetProperty("data").ValueKind);
            Assert.True(entries[Target - 1].GetProperty("data_erased").GetBoolean());
            Assert.False(entries[Target].GetProperty("data_erased").GetBoolean());
        }
        else
        {
            var lines = System.Text.Encoding.UTF8.GetString(bytes).Split("\r\n");
            Assert.EndsWith(",entry_hash,data_erased,rolled_back,scope", lines[0]);
            Assert.EndsWith(",true,false,chain", lines[Target]);
            Assert.EndsWith(",false,false,chain", lines[Target + 1]);
        }

        var verification = await VerifyAsync(ledger, bytes, format);
        Assert.Equal(ExportOutcomes.CompleteChain, verification.Outcome);
        Assert.Equal(1, verification.ErasedCount);
        Assert.Equal(Size + 1, Assert.Single(verification.ErasedEntries).ErasedBySequence);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ATrailExportOfAnErasedEntry_CarriesTheErasureEntryThatRecordsIt_AndVerifiesOffline(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var ledger = insider.Ledger;
        await ledger.Erasure.EraseAsync(Target, "admin", "request");
        // Entry 5 is model_0's; the ERASURE entry is by another actor on another resource, so the filter does not pick it.
        var filter = TrailFilter.ForResource("model", "model_0");

        foreach (var format in new[] { ExportFormat.Json, ExportFormat.Csv })
        {
            using var output = new MemoryStream();
            var tally = new ExportTally();
            await ledger.Exporter.ExportAsync(output, format, filter, tally);
            Assert.Equal([Size + 1L], tally.ErasureRecordsAdded);
            if (format == ExportFormat.Json)
            {
                using var document = JsonDocument.Parse(output.ToArray());
                Assert.Equal(Size + 1, document.RootElement.GetProperty("erasure_records_added")[0].GetInt64());
                var sequences = document.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).ToList();
                Assert.Equal([5L, 10L, Size + 1L], sequences);
            }
            var path = Path.Combine(ledger.Folder, $"trail.{format}");
            await File.WriteAllBytesAsync(path, output.ToArray());
            var verification = await ExportVerifier.VerifyFileAsync(path, ExportCheckMode.Trail);
            Assert.Equal(ExportOutcomes.EntriesValid, verification.Outcome);
            Assert.Equal(1, verification.ErasedCount);
        }

        // A filter that picks no erased entry carries no ERASURE entry.
        var untouched = new ExportTally();
        await ledger.Exporter.ExportAsync(Stream.Null, ExportFormat.Json, TrailFilter.ForResource("model", "model_1"), untouched);
        Assert.Empty(untouched.ErasureRecordsAdded);
    }

    [Theory]
    [InlineData(ExportFormat.Json)]
    [InlineData(ExportFormat.Csv)]
    public async Task AnExportWhoseDataWasRemovedWithoutAnErasureEntry_FailsOfflineVerification(ExportFormat format)
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(Size);
        var bytes = await ExportAsync(ledger, format);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        var data = (await ledger.Queries.GetBySequenceAsync(Target))!.Entry.Data;
        var doctored = format == ExportFormat.Json
            ? text.Replace($"\"data\":{JsonSerializer.Serialize(data, Relaxed)}", "\"data\":null", StringComparison.Ordinal)
                  .Replace("\"data_erased\":false", "\"data_erased\":true", StringComparison.Ordinal)
            : DoctorCsvRow(text, Target, data);
        Assert.NotEqual(text, doctored);

        var verification = await VerifyAsync(ledger, System.Text.Encoding.UTF8.GetBytes(doctored), format);
        Assert.Equal(ExportOutcomes.Tampered, verification.Outcome);
        Assert.Contains(verification.Problems, p => p.Sequence == Target && p.Kind == ErasureProblems.DataRemoved);
        Assert.Equal(0, verification.ErasedCount);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Search_NoLongerFindsTheErasedWords_ButStillFindsTheDetails(string provider)
    {
        await using var server = provider == Insider.Sqlite ? null : await ServerDatabases.CreateAsync(provider);
        await using var ledger = server is null ? new LedgerFixture() : new LedgerFixture(o => o.Database = server.Database);
        await ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "person", "p1", """{"name":"Zebulon Quimby"}""", """{"ticket":"helpdesk7"}"""));
        await ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "person", "p2", """{"name":"Zebulon Other"}"""));
        await ledger.Search.CatchUpAsync();
        Assert.Equal(2, await ledger.Queries.CountAsync(new TrailFilter { Text = "zebulon" }));

        await ledger.Erasure.EraseAsync(1, "admin", "request");

        Assert.Equal(1, await ledger.Queries.CountAsync(new TrailFilter { Text = "zebulon" }));
        Assert.Equal(0, await ledger.Queries.CountAsync(new TrailFilter { Text = "quimby" }));
        Assert.Equal(1, await ledger.Queries.CountAsync(new TrailFilter { Text = "helpdesk7" }));
    }

    [Fact]
    public async Task Search_DoesNotIndexTheWordsOfAnEntryErasedBeforeTheIndexerReachedIt()
    {
        await using var ledger = new LedgerFixture();
        await ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "person", "p1", """{"name":"Zebulon Quimby"}""", """{"ticket":"helpdesk7"}"""));
        await ledger.Erasure.EraseAsync(1, "admin", "request");
        await ledger.Search.CatchUpAsync();

        Assert.Equal(0, await ledger.Queries.CountAsync(new TrailFilter { Text = "quimby" }));
        Assert.Equal(1, await ledger.Queries.CountAsync(new TrailFilter { Text = "helpdesk7" }));
    }

    [Fact]
    public async Task Proofs_StillHoldForAnErasedEntry()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(Size);
        var checkpoint = await ledger.Checkpoints.CreateAsync();
        await ledger.Erasure.EraseAsync(Target, "admin", "request");

        Assert.True((await ledger.Checkpoints.CheckAsync(checkpoint)).Matches);
        var proof = await ledger.Proofs.InclusionAsync(Target, checkpoint.TreeSize);
        var root = Merkle.MerkleTree.RootFromInclusion(proof.LeafIndex, proof.TreeSize, Convert.FromHexString(proof.LeafHash),
            proof.AuditPath.Select(Convert.FromHexString).ToList());
        Assert.Equal(checkpoint.MerkleRoot, Convert.ToHexStringLower(root!));
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static AuditEntry ForgedErasure(AuditEntry head, long erasedSequence, string erasedHash)
    {
        var data = ErasureRecord.Format(erasedSequence, erasedHash, "forged");
        var entry = new AuditEntry
        {
            Sequence = head.Sequence + 1,
            EntryId = "0190a5b2-0000-7000-8000-00000000e0e0",
            Timestamp = head.Timestamp.AddSeconds(1),
            Action = LedgerVocabulary.ErasureAction,
            Actor = "mallory",
            ResourceType = LedgerVocabulary.LedgerResourceType,
            Data = data,
            DataHash = HashSpec.ComputeDataHash(data),
            PreviousHash = head.EntryHash,
        };
        entry.EntryHash = HashSpec.ComputeEntryHash(entry);
        return entry;
    }

    private static async Task<byte[]> ExportAsync(LedgerFixture ledger, ExportFormat format)
    {
        using var output = new MemoryStream();
        await ledger.Exporter.ExportAsync(output, format);
        return output.ToArray();
    }

    private static async Task<ExportVerification> VerifyAsync(LedgerFixture ledger, byte[] bytes, ExportFormat format)
    {
        var path = Path.Combine(ledger.Folder, format == ExportFormat.Json ? "export.json" : "export.csv");
        await File.WriteAllBytesAsync(path, bytes);
        return await ExportVerifier.VerifyFileAsync(path);
    }

    /// <summary>Empties the data cell of one CSV row and says it was erased, as someone editing the file could.</summary>
    private static string DoctorCsvRow(string csv, int sequence, string data)
    {
        var lines = csv.Split("\r\n");
        var quoted = "\"" + data.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        Assert.Contains(quoted, lines[sequence]);
        lines[sequence] = lines[sequence].Replace(quoted, "", StringComparison.Ordinal);
        lines[sequence] = lines[sequence].Replace(",false,false,chain", ",true,false,chain", StringComparison.Ordinal);
        return string.Join("\r\n", lines);
    }
}

using System.Data.Common;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;
using MonitorConsole.Tests.Shared;
using Npgsql;

namespace MonitorConsole.Audit.Tests;

/// <summary>
/// The ledger on a real database server: migrations from empty, the whole feature set, append-only enforcement, many
/// writers. The same tests run on each server (one subclass per server); each skips unless its server is configured.
/// </summary>
public abstract class ServerLedgerTests
{
    protected abstract string Server { get; }

    protected Task<ServerDatabase> CreateDatabaseAsync() => ServerDatabases.CreateAsync(Server);

    [Fact]
    public async Task FromAnEmptyDatabase_AppendVerifyExportTrailRollbackAndProofs_AllWork()
    {
        await using var db = await CreateDatabaseAsync();
        await using var ledger = new LedgerFixture(o => o.Database = db.Database);
        var entries = await ledger.SeedAsync(300);
        await ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "model", null, """{"ünïcode":"✓","n":1.5,"emoji":"🚀"}""", null));

        var verification = await ledger.Verifier.VerifyAsync();
        Assert.True(verification.Valid);
        Assert.Equal(301, verification.TotalEntries);

        using var export = new MemoryStream();
        await ledger.Exporter.ExportAsync(export, ExportFormat.Json, null);
        export.Position = 0;
        var path = Path.Combine(ledger.Folder, "export.json");
        await File.WriteAllBytesAsync(path, export.ToArray());
        Assert.True((await ExportVerifier.VerifyFileAsync(path)).Result.Valid);

        var trail = await ledger.Queries.GetTrailAsync(TrailFilter.ForActor("alice"));
        Assert.Equal(301, trail.Entries[0].Entry.Sequence);
        var page = await ledger.Queries.GetTrailAsync(TrailFilter.All, beforeSequence: 200, limit: 10);
        Assert.Equal(Enumerable.Range(190, 10).Reverse().Select(i => (long)i), page.Entries.Select(e => e.Entry.Sequence));
        Assert.Equal(190, page.NextCursor);

        var rollback = await ledger.Rollback.RollbackAsync(entries[99].EntryHash, "admin", "bad deploy");
        Assert.Equal(201, rollback.RolledBackCount);
        Assert.True((await ledger.Queries.GetBySequenceAsync(150))!.RolledBack);
        Assert.Equal(entries[99].EntryId, (await ledger.Queries.GetByHashAsync(entries[99].EntryHash))!.Entry.EntryId);
        Assert.Equal(100, (await ledger.Queries.GetByIdAsync(entries[99].EntryId))!.Entry.Sequence);

        var statistics = await ledger.Queries.GetStatisticsAsync();
        Assert.Equal(101, statistics.TotalEntries); // entries 1..100 and the ROLLBACK entry
        Assert.Equal(201, statistics.RolledBackEntries);
        Assert.Equal(302, statistics.ChainLength);
        Assert.Equal(101, statistics.EntriesPerDay.Values.Sum());

        var checkpoint = await ledger.Checkpoints.CreateAsync();
        var proof = await ledger.Proofs.InclusionAsync(42, checkpoint.TreeSize);
        var root = MerkleTree.RootFromInclusion(proof.LeafIndex, proof.TreeSize, Convert.FromHexString(proof.LeafHash), proof.AuditPath.Select(Convert.FromHexString).ToList());
        Assert.Equal(checkpoint.MerkleRoot, Convert.ToHexStringLower(root!));
        Assert.True((await ledger.Checkpoints.CheckAsync(checkpoint)).Matches);
    }

    [Fact]
    public async Task CheckpointTokens_AreStored_AnchoredLater_AndFrozenOnceStored()
    {
        await using var db = await CreateDatabaseAsync();
        await using var tsa = LocalTsa.Start();
        var certificates = Path.Combine(Path.GetTempPath(), "mc-tsa-tests", Guid.NewGuid().ToString("N"));
        await using var ledger = AnchoredLedger.Create(tsa, certificates, database: db.Database);
        await ledger.SeedAsync(5);
        var anchored = await ledger.Checkpoints.CreateAsync();
        tsa.Failing = true;
        await ledger.SeedAsync(2);
        var unanchored = await ledger.Checkpoints.CreateAsync();
        Assert.Null(unanchored.TimestampToken);

        var stored = await ledger.Checkpoints.ListAsync();
        Assert.Equal([null, anchored.TimestampTokenBytes()], stored.Select(r => r.TimestampToken));
        Assert.Contains("HTTP 503", stored[0].AnchorProblem);
        Assert.Equal(AnchorCheck.Anchored, (await ledger.Checkpoints.CheckAsync(stored[1].Checkpoint)).Anchor!.Outcome);

        // Unanchored, only the anchor columns may change; anchored, nothing may.
        Assert.Contains("append-only", (await Assert.ThrowsAnyAsync<DbException>(() => db.SqlAsync($"UPDATE audit_checkpoints SET tree_size = 1 WHERE id = {stored[0].Id}"))).Message);
        tsa.Failing = false;
        Assert.True(Assert.Single(await ledger.Checkpoints.AnchorAsync()).Anchored);
        var later = (await ledger.Checkpoints.GetAsync(stored[0].Id))!;
        Assert.Equal(AnchorCheck.Anchored, (await ledger.Checkpoints.CheckAsync(later.Checkpoint)).Anchor!.Outcome);
        Assert.Null(later.AnchorProblem);
        foreach (var sql in new[] { "UPDATE audit_checkpoints SET timestamp_token = NULL", "UPDATE audit_checkpoints SET anchor_problem = 'x'" })
            Assert.Contains("append-only", (await Assert.ThrowsAnyAsync<DbException>(() => db.SqlAsync(sql))).Message);
        Directory.Delete(certificates, recursive: true);
    }

    [Fact]
    public async Task TimeRanges_FilterByTheChainsOwnTimestamps()
    {
        await using var db = await CreateDatabaseAsync();
        await using var ledger = new LedgerFixture(o => o.Database = db.Database);
        var entries = await ledger.SeedAsync(50);
        var filter = TrailFilter.All with { From = entries[10].Timestamp, To = entries[19].Timestamp };
        var trail = await ledger.Queries.GetTrailAsync(filter, limit: 100);
        Assert.Equal(Enumerable.Range(11, 10).Reverse().Select(i => (long)i), trail.Entries.Select(e => e.Entry.Sequence));
        var verification = await ledger.Verifier.VerifyAsync(new VerificationScope(entries[10].Timestamp, entries[19].Timestamp));
        Assert.True(verification.Valid);
        Assert.Equal(10, verification.TotalEntries);
    }

    [Fact]
    public async Task TrailFilters_MatchInAnyCase_AndSearchFindsWords()
    {
        await using var db = await CreateDatabaseAsync();
        await using var ledger = new LedgerFixture(o => o.Database = db.Database);
        await SearchScenario.RunAsync(ledger);
    }

    [Fact]
    public async Task LargeBatches_AreSentInSeveralStatements_AndVerify()
    {
        await using var db = await CreateDatabaseAsync();
        await using var ledger = new LedgerFixture(o => o.Database = db.Database);
        const int count = 2500;
        await ledger.Writer.AppendBatchAsync(Enumerable.Range(0, count).Select(i => new AuditEntryDraft("UPDATE", "bob", "model", $"{i}", null, i % 2 == 0 ? null : "{\"n\":1}")).ToList());
        await ledger.Writer.AppendStreamAsync(Drafts(300));
        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
        Assert.Equal(count + 300L, Convert.ToInt64(await db.SqlAsync("SELECT MAX(sequence) FROM audit_entries")));
    }

    private static async IAsyncEnumerable<AuditEntryDraft> Drafts(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new AuditEntryDraft("STREAM", "carol", "model", $"{i}");
        }
    }

    [Theory]
    [InlineData("UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 2")]
    [InlineData("DELETE FROM audit_entries WHERE sequence = 2")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("UPDATE audit_checkpoints SET tree_size = 1")]
    [InlineData("DELETE FROM audit_checkpoints")]
    public async Task TheDatabaseRefusesEveryChange(string sql)
    {
        await using var db = await CreateDatabaseAsync();
        await using var ledger = new LedgerFixture(o => o.Database = db.Database);
        await ledger.SeedAsync(3);
        await ledger.Checkpoints.CreateAsync();
        var error = await Assert.ThrowsAnyAsync<DbException>(() => db.SqlAsync(sql));
        Assert.Contains("append-only", error.Message);
        Assert.Equal(3L, Convert.ToInt64(await db.SqlAsync("SELECT COUNT(*) FROM audit_entries")));
        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
    }

    [Fact]
    public async Task SeveralInstancesAppendingAtOnce_ShareOneUnforkedChain()
    {
        await using var db = await CreateDatabaseAsync();
        const int instances = 4, perInstance = 150;
        var ledgers = Enumerable.Range(0, instances).Select(_ => new LedgerFixture(o => o.Database = db.Database, TimeProvider.System)).ToList();
        try
        {
            await ledgers[0].Writer.AppendAsync(new AuditEntryDraft("START", "tests", "ledger"));
            await Task.WhenAll(ledgers.Select((ledger, n) => Task.Run(async () =>
            {
                for (var i = 0; i < perInstance; i++)
                {
                    if (i % 10 == 0) await ledger.Writer.AppendBatchAsync(Enumerable.Range(0, 5).Select(k => new AuditEntryDraft("BATCH", $"instance_{n}", "model", $"{i}.{k}")).ToList());
                    else await ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", $"instance_{n}", "model", $"{i}"));
                }
            })));
            var result = await ledgers[0].Verifier.VerifyAsync();
            Assert.True(result.Valid, $"{result.ChainBreakCount} breaks");
            Assert.Equal(1 + instances * (perInstance + perInstance / 10 * 4), result.TotalEntries);
            Assert.Equal(result.TotalEntries, Convert.ToInt64(await db.SqlAsync("SELECT COUNT(DISTINCT previous_hash) FROM audit_entries")));
        }
        finally
        {
            foreach (var ledger in ledgers) await ledger.DisposeAsync();
        }
    }
}

public sealed class PostgresLedgerTests : ServerLedgerTests
{
    protected override string Server => ServerDatabase.PostgreSql;

    [Fact]
    public async Task NulCharacters_AreRefusedByField_AndLargeBatchesGoThroughCopy()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var ledger = new LedgerFixture(o => o.Database = pg.ConnectionString);
        await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "a\0b", "model")));
        var nul = await Assert.ThrowsAsync<AuditValidationException>(() => ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "model", null, "{\"a\":\"x\\u0000y\"}")));
        Assert.Equal("data.a", nul.Field);
        await ledger.Writer.AppendBatchAsync(Enumerable.Range(0, EntryInserterCopy).Select(i => new AuditEntryDraft("UPDATE", "bob", "model", $"{i}", null, i % 2 == 0 ? null : "{\"n\":1}")).ToList());
        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
        Assert.Equal((long)EntryInserterCopy, await pg.SqlAsync("SELECT max(sequence) FROM audit_entries"));
    }

    private const int EntryInserterCopy = 200;

    [Theory]
    [InlineData("TRUNCATE audit_entries")]
    [InlineData("SET session_replication_role = replica; UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 2")]
    [InlineData("SET session_replication_role = replica; DELETE FROM audit_entries")]
    [InlineData("SET session_replication_role = replica; TRUNCATE audit_entries")]
    public async Task TheDatabaseRefusesTruncate_AndKeepsItsTriggersUnderReplicationRole(string sql)
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var ledger = new LedgerFixture(o => o.Database = pg.ConnectionString);
        await ledger.SeedAsync(3);
        var error = await Assert.ThrowsAsync<PostgresException>(() => pg.SqlAsync(sql));
        Assert.Contains("append-only", error.MessageText);
        Assert.Equal(3L, await pg.SqlAsync("SELECT count(*) FROM audit_entries"));
    }
}

public sealed class MySqlLedgerTests : ServerLedgerTests
{
    protected override string Server => ServerDatabase.MySql;

    [Fact]
    public async Task TruncateNeedsTheDropPrivilege_WhichTheConsolesAccountNeedNotHave()
    {
        // MySQL fires no trigger on TRUNCATE; the privilege system is what refuses it (docs/security.md).
        await using var db = await CreateDatabaseAsync();
        await using var ledger = new LedgerFixture(o => o.Database = db.Database);
        await ledger.SeedAsync(3);
        var user = "mc_app_" + Guid.NewGuid().ToString("N")[..8];
        await db.SqlAsync($"CREATE USER '{user}'@'%' IDENTIFIED BY 'app'; GRANT SELECT, INSERT, UPDATE, DELETE ON {db.Name}.* TO '{user}'@'%'");
        try
        {
            var builder = new MySqlConnector.MySqlConnectionStringBuilder(Environment.GetEnvironmentVariable("MONITORCONSOLE_TEST_MYSQL")!)
            { UserID = user, Password = "app", Database = db.Name, Pooling = false };
            await using var connection = new MySqlConnector.MySqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var command = new MySqlConnector.MySqlCommand("TRUNCATE TABLE audit_entries", connection);
            var error = await Assert.ThrowsAsync<MySqlConnector.MySqlException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("DROP command denied", error.Message);
            Assert.Equal(3L, Convert.ToInt64(await db.SqlAsync("SELECT COUNT(*) FROM audit_entries")));
        }
        finally
        {
            await db.SqlAsync($"DROP USER '{user}'@'%'");
        }
    }

    [Fact]
    public async Task EveryTableIsUtf8mb4Binary_AndTimesKeepMicroseconds()
    {
        await using var db = await CreateDatabaseAsync();
        await using var ledger = new LedgerFixture(o => o.Database = db.Database);
        await ledger.SeedAsync(1);
        var notBinary = await db.SqlAsync(
            $"SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db.Name}' AND TABLE_NAME = 'audit_entries' " +
            "AND COLLATION_NAME IS NOT NULL AND COLLATION_NAME <> 'utf8mb4_bin'");
        Assert.Equal(0L, Convert.ToInt64(notBinary));
        Assert.Equal(12L, Convert.ToInt64(await db.SqlAsync(
            $"SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db.Name}' AND TABLE_NAME = 'audit_entries'")));
    }
}

public sealed class SqlServerLedgerTests : ServerLedgerTests
{
    protected override string Server => ServerDatabase.SqlServer;
}

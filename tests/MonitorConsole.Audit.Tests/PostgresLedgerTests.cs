using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;
using MonitorConsole.Tests.Shared;
using Npgsql;

namespace MonitorConsole.Audit.Tests;

/// <summary>The ledger on a real PostgreSQL server: migrations from empty, the whole feature set, append-only enforcement, many writers.</summary>
public sealed class PostgresLedgerTests
{
    [Fact]
    public async Task FromAnEmptyDatabase_AppendVerifyExportTrailRollbackAndProofs_AllWork()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var ledger = new LedgerFixture(o => o.Database = pg.ConnectionString);
        var entries = await ledger.SeedAsync(300);
        await ledger.Writer.AppendAsync(new AuditEntryDraft("UPDATE", "alice", "model", null, """{"ünïcode":"✓","n":1.5}""", null));

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

        var rollback = await ledger.Rollback.RollbackAsync(entries[99].EntryHash, "admin", "bad deploy");
        Assert.Equal(201, rollback.RolledBackCount);
        Assert.True((await ledger.Queries.GetBySequenceAsync(150))!.RolledBack);

        var checkpoint = await ledger.Checkpoints.CreateAsync();
        var proof = await ledger.Proofs.InclusionAsync(42, checkpoint.TreeSize);
        var root = MerkleTree.RootFromInclusion(proof.LeafIndex, proof.TreeSize, Convert.FromHexString(proof.LeafHash), proof.AuditPath.Select(Convert.FromHexString).ToList());
        Assert.Equal(checkpoint.MerkleRoot, Convert.ToHexStringLower(root!));
        Assert.True((await ledger.Checkpoints.CheckAsync(checkpoint)).Matches);
    }

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
    [InlineData("UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 2")]
    [InlineData("DELETE FROM audit_entries WHERE sequence = 2")]
    [InlineData("TRUNCATE audit_entries")]
    [InlineData("SET session_replication_role = replica; UPDATE audit_entries SET actor = 'mallory' WHERE sequence = 2")]
    [InlineData("SET session_replication_role = replica; DELETE FROM audit_entries")]
    [InlineData("SET session_replication_role = replica; TRUNCATE audit_entries")]
    [InlineData("DELETE FROM audit_checkpoints")]
    public async Task TheDatabaseRefusesEveryChange_EvenWithReplicationRoleTriggersOff(string sql)
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var ledger = new LedgerFixture(o => o.Database = pg.ConnectionString);
        await ledger.SeedAsync(3);
        await ledger.Checkpoints.CreateAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => pg.SqlAsync(sql));
        Assert.Contains("append-only", error.MessageText);
        Assert.Equal(3L, await pg.SqlAsync("SELECT count(*) FROM audit_entries"));
        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
    }

    [Fact]
    public async Task SeveralInstancesAppendingAtOnce_ShareOneUnforkedChain()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        const int instances = 4, perInstance = 150;
        var ledgers = Enumerable.Range(0, instances).Select(_ => new LedgerFixture(o => o.Database = pg.ConnectionString, TimeProvider.System)).ToList();
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
            Assert.Equal(result.TotalEntries, await pg.SqlAsync("SELECT count(DISTINCT previous_hash) FROM audit_entries"));
        }
        finally
        {
            foreach (var ledger in ledgers) await ledger.DisposeAsync();
        }
    }
}

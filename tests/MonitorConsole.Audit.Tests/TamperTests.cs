using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

/// <summary>Raw SQL on the database file, bypassing the app; every change must be found at the right entry.</summary>
public sealed class TamperTests
{
    private const int Size = 10;
    private const int Target = 5;

    [Theory]
    [InlineData("action", "'DELETE'", InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("actor", "'mallory'", InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("resource_type", "'dataset'", InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("resource_id", "'other_model'", InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("details", "'{\"reason\":\"forged\"}'", InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("timestamp", "'2026-01-30T12:00:00.004001Z'", InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("entry_id", "'0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b'", InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("data", "'{\"step\":999}'", InvalidEntryReasons.DataHashMismatch)]
    [InlineData("data_hash", null, InvalidEntryReasons.DataHashMismatch)]
    [InlineData("previous_hash", null, InvalidEntryReasons.EntryHashMismatch)]
    [InlineData("entry_hash", null, InvalidEntryReasons.EntryHashMismatch)]
    public async Task Verify_ReportsTheEntry_WhenOneFieldIsChanged(string column, string? value, string reason)
    {
        await using var ledger = await SeededAsync();
        // null: flip the first hex digit of a hash, which is guaranteed to change it and keep it well-formed.
        value ??= $"CASE WHEN substr({column}, 1, 1) = 'a' THEN 'b' ELSE 'a' END || substr({column}, 2)";
        ledger.Tamper($"UPDATE audit_entries SET {column} = {value} WHERE sequence = {Target}");

        var result = await ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target && i.Reason == reason);
        Assert.All(result.InvalidEntries, i => Assert.Equal(Target, i.Sequence));
        // A changed hash also breaks a link: at the entry (previous_hash) or at the one after it (entry_hash).
        Assert.All(result.ChainBreaks, b => Assert.InRange(b.Sequence, Target, Target + 1));
        Assert.InRange(result.VerifiedEntries, Size - 2, Size - 1);
    }

    [Fact]
    public async Task Verify_ReportsTheEntry_WhenSequenceIsChanged()
    {
        await using var ledger = await SeededAsync();
        ledger.Tamper($"UPDATE audit_entries SET sequence = 100 WHERE sequence = {Size}");
        var result = await ledger.Verifier.VerifyAsync();
        Assert.Contains(result.InvalidEntries, i => i.Sequence == 100 && i.Reason == InvalidEntryReasons.EntryHashMismatch);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == 100 && b.Kind == ChainBreakKinds.SequenceGap && b.ExpectedSequence == Size);
    }

    [Fact]
    public async Task Verify_ReportsDataHashMismatch_WhenDataChangesButNotItsHash()
    {
        await using var ledger = await SeededAsync();
        ledger.Tamper($"UPDATE audit_entries SET data = '{{\"step\":5,\"config\":{{\"threshold\":0.99}}}}' WHERE sequence = {Target}");
        var result = await ledger.Verifier.VerifyAsync();
        var problem = Assert.Single(result.InvalidEntries);
        Assert.Equal((Target, InvalidEntryReasons.DataHashMismatch), (problem.Sequence, problem.Reason));
        Assert.Empty(result.ChainBreaks);
    }

    [Fact]
    public async Task Verify_ReportsBreakAtTheNextEntry_WhenAnEntryIsRewrittenWithItsOwnHashesRecomputed()
    {
        await using var ledger = await SeededAsync();
        var original = (await ledger.Queries.GetBySequenceAsync(Target))!.Entry;
        var data = """{"step":5,"config":{"threshold":0.01}}""";
        var dataHash = HashSpec.ComputeDataHash(data);
        var entryHash = HashSpec.ComputeEntryHash(original.Sequence, original.EntryId, HashSpec.FormatTimestamp(original.Timestamp),
            original.Action, original.Actor, original.ResourceType, original.ResourceId, dataHash, original.Details,
            original.PreviousHash);
        ledger.Tamper($"UPDATE audit_entries SET data = '{data}', data_hash = '{dataHash}', entry_hash = '{entryHash}' WHERE sequence = {Target}");

        var result = await ledger.Verifier.VerifyAsync();

        Assert.Empty(result.InvalidEntries);
        var chainBreak = Assert.Single(result.ChainBreaks);
        Assert.Equal(Target + 1, chainBreak.Sequence);
        Assert.Equal(ChainBreakKinds.PreviousHashMismatch, chainBreak.Kind);
        Assert.Equal(entryHash, chainBreak.ExpectedPreviousHash);
        Assert.Equal(original.EntryHash, chainBreak.FoundPreviousHash);
    }

    [Fact]
    public async Task Verify_ReportsChainBreak_WhenMiddleEntryDeleted()
    {
        await using var ledger = await SeededAsync();
        ledger.Tamper($"DELETE FROM audit_entries WHERE sequence = {Target}");
        var result = await ledger.Verifier.VerifyAsync();
        Assert.False(result.Valid);
        Assert.Empty(result.InvalidEntries);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == Target + 1 && b.Kind == ChainBreakKinds.SequenceGap && b.ExpectedSequence == Target);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == Target + 1 && b.Kind == ChainBreakKinds.PreviousHashMismatch);
        Assert.Equal(Size - 1, result.TotalEntries);
    }

    [Fact]
    public async Task Verify_ReportsBreak_WhenAForgedEntryIsInserted()
    {
        await using var ledger = await SeededAsync();
        // Shift the tail up by one (from the end, so the primary key never collides) and insert a forged entry that
        // chains correctly onto entry 5.
        for (var s = Size; s > Target; s--) ledger.Tamper($"UPDATE audit_entries SET sequence = {s + 1} WHERE sequence = {s}");
        var anchor = (await ledger.Queries.GetBySequenceAsync(Target))!.Entry;
        var data = """{"forged":true}""";
        var dataHash = HashSpec.ComputeDataHash(data);
        const string id = "0190a5b2-0000-7000-8000-000000000000";
        const string ts = "2026-01-30T12:00:00.005500Z";
        var hash = HashSpec.ComputeEntryHash(Target + 1, id, ts, "APPROVE", "mallory", "model", "m", dataHash, null, anchor.EntryHash);
        ledger.Tamper($"INSERT INTO audit_entries (sequence, entry_id, timestamp, action, actor, resource_type, resource_id, data, details, data_hash, previous_hash, entry_hash) " +
                      $"VALUES ({Target + 1}, '{id}', '{ts}', 'APPROVE', 'mallory', 'model', 'm', '{data}', NULL, '{dataHash}', '{anchor.EntryHash}', '{hash}')");

        var result = await ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        // The forged entry is internally consistent; the entry after it no longer points at it.
        var firstBreak = result.ChainBreaks.OrderBy(b => b.Sequence).First();
        Assert.Equal(Target + 2, firstBreak.Sequence);
        Assert.Equal(hash, firstBreak.ExpectedPreviousHash);
        Assert.Equal(anchor.EntryHash, firstBreak.FoundPreviousHash);
        Assert.DoesNotContain(result.InvalidEntries, i => i.Sequence <= Target + 1);
    }

    [Fact]
    public async Task Verify_ReportsBothEntries_WhenTwoEntriesAreSwapped()
    {
        await using var ledger = await SeededAsync();
        ledger.Tamper($"UPDATE audit_entries SET sequence = -1 WHERE sequence = {Target}; " +
                      $"UPDATE audit_entries SET sequence = {Target} WHERE sequence = {Target + 1}; " +
                      $"UPDATE audit_entries SET sequence = {Target + 1} WHERE sequence = -1;");
        var result = await ledger.Verifier.VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target && i.Reason == InvalidEntryReasons.EntryHashMismatch);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target + 1 && i.Reason == InvalidEntryReasons.EntryHashMismatch);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == Target);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == Target + 2);
    }

    [Fact]
    public async Task Verify_ReportsMalformedRow_WhenAHashIsNotHex()
    {
        await using var ledger = await SeededAsync();
        ledger.Tamper($"UPDATE audit_entries SET data_hash = 'nope' WHERE sequence = {Target}");
        var result = await ledger.Verifier.VerifyAsync();
        var problem = Assert.Single(result.InvalidEntries);
        Assert.Equal(InvalidEntryReasons.MalformedRow, problem.Reason);
        Assert.Contains("data_hash", problem.Detail);
    }

    [Fact]
    public async Task Verify_ReportsEveryProblem_NotOnlyTheFirst()
    {
        await using var ledger = await SeededAsync();
        ledger.Tamper("UPDATE audit_entries SET actor = 'mallory' WHERE sequence IN (2, 4, 8)");
        var result = await ledger.Verifier.VerifyAsync();
        Assert.Equal([2L, 4L, 8L], result.InvalidEntries.Select(i => i.Sequence));
        Assert.Equal(Size - 3, result.VerifiedEntries);
    }

    [Fact]
    public async Task Verify_ListsAtMostTheConfiguredNumberOfProblems_ButCountsThemAll()
    {
        await using var ledger = new LedgerFixture(o => o.MaxReportedProblems = 3);
        await ledger.SeedAsync(Size);
        ledger.Tamper("UPDATE audit_entries SET actor = 'mallory'");
        var result = await ledger.Verifier.VerifyAsync();
        Assert.Equal(3, result.InvalidEntries.Count);
        Assert.Equal(Size, result.InvalidEntryCount);
        Assert.True(result.ProblemsTruncated);
    }

    private static async Task<LedgerFixture> SeededAsync()
    {
        var ledger = new LedgerFixture();
        await ledger.SeedAsync(Size);
        return ledger;
    }
}

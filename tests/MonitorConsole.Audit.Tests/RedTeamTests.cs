using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

/// <summary>
/// The attacks listed in docs/security.md ("What an insider can try"), each played against SQLite, PostgreSQL,
/// MySQL/MariaDB and SQL Server (servers skip unless configured) by someone with SQL access: every one is refused by the database while its guards are on, and with the guards
/// switched off it is reported at the right entry by verification, or by the check against a signed checkpoint.
/// </summary>
public sealed class RedTeamTests
{
    private const int Size = 12;
    private const int Target = 5;
    private const string ForgedId = "0190a5b2-0000-7000-8000-00000000f0f0";

    public static TheoryData<string> Providers => [.. Insider.Providers];

    public static TheoryData<string, string, string> FieldChanges()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var provider in Insider.Providers)
        {
            data.Add(provider, "actor", InvalidEntryReasons.EntryHashMismatch);
            data.Add(provider, "action", InvalidEntryReasons.EntryHashMismatch);
            data.Add(provider, "resource_id", InvalidEntryReasons.EntryHashMismatch);
            data.Add(provider, "details", InvalidEntryReasons.EntryHashMismatch);
            data.Add(provider, "timestamp", InvalidEntryReasons.EntryHashMismatch);
            data.Add(provider, "entry_id", InvalidEntryReasons.EntryHashMismatch);
            data.Add(provider, "data", InvalidEntryReasons.DataHashMismatch);
            data.Add(provider, "data_hash", InvalidEntryReasons.DataHashMismatch);
            data.Add(provider, "entry_hash", InvalidEntryReasons.EntryHashMismatch);
        }
        return data;
    }

    private static string NewValue(Insider insider, string column) => column switch
    {
        "actor" or "action" or "resource_id" => "'mallory'",
        "details" => "'{\"reason\":\"forged\"}'",
        "timestamp" => "'2026-01-30T12:00:00.004001Z'",
        "entry_id" => $"'{ForgedId}'",
        "data" => "'{\"step\":999}'",
        // A hash: its first hex digit flipped, still well-formed.
        _ => insider.FlipFirstCharacter(column),
    };

    [Theory]
    [MemberData(nameof(FieldChanges))]
    public async Task ChangingAnyField_IsRefused_AndWithGuardsOffReportedAtThatEntry(string provider, string column, string reason)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var update = $"UPDATE audit_entries SET {column} = {NewValue(insider, column)} WHERE sequence = {Target}";
        await insider.RefusedAsync(update);
        Assert.True((await insider.Ledger.Verifier.VerifyAsync()).Valid);

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(update);
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target && i.Reason == reason);
        Assert.All(result.InvalidEntries, i => Assert.Equal(Target, i.Sequence));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RehashingASuffix_PassesVerification_ButTheCheckpointSaysRewritten(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var checkpoint = await insider.Ledger.Checkpoints.CreateAsync();
        await insider.DisableGuardsAsync();

        // Entry 5 gets another actor; it and every later entry are re-hashed so that every link holds again.
        var previous = await insider.EntryAsync(Target - 1);
        for (long s = Target; s <= Size; s++)
        {
            var entry = await insider.EntryAsync(s);
            if (s == Target) entry.Actor = "mallory";
            entry.PreviousHash = previous.EntryHash;
            entry.EntryHash = HashSpec.ComputeEntryHash(entry);
            await insider.ReplaceAsync(entry);
            previous = entry;
        }

        Assert.True((await insider.Ledger.Verifier.VerifyAsync()).Valid);
        var check = await insider.Ledger.Checkpoints.CheckAsync(checkpoint);
        Assert.False(check.Matches);
        Assert.Equal(CheckpointCheck.Rewritten, check.Problem);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DeletingAnEntry_IsRefused_AndWithGuardsOffReportedAsAGapAtTheNextEntry(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var delete = $"DELETE FROM audit_entries WHERE sequence = {Target}";
        await insider.RefusedAsync(delete);

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(delete);
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == Target + 1 && b.Kind == ChainBreakKinds.SequenceGap);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == Target + 1 && b.Kind == ChainBreakKinds.PreviousHashMismatch);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PlantingARowBeforeTheStart_IsRefused_AndWithGuardsOffIsReportedAndCannotHijackARollback(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var genuine = await insider.EntryAsync(Target);
        // A self-consistent row at sequence 0 that copies entry 5's hash: a rollback "to entry 5" used to pick it
        // (lowest sequence first) and mark the whole ledger rolled back.
        var planted = Insider.Forge(0, null, genuine.Timestamp, ForgedId);
        planted.EntryHash = genuine.EntryHash;
        await insider.RefusedAsync(Insider.InsertSql(planted));

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(Insider.InsertSql(planted));

        var result = await insider.Ledger.Verifier.VerifyAsync();
        Assert.False(result.Valid);
        Assert.Equal(Size + 1, result.TotalEntries);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == 0 && i.Reason == InvalidEntryReasons.OutsideChain);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == 0 && i.Reason == InvalidEntryReasons.DuplicateEntryHash);

        // Lookups, trails and statistics show the chain's own rows only.
        Assert.Equal(Target, (await insider.Ledger.Queries.GetByHashAsync(genuine.EntryHash))!.Entry.Sequence);
        Assert.Null(await insider.Ledger.Queries.GetByIdAsync(ForgedId));
        Assert.Equal(Size, (await insider.Ledger.Queries.GetStatisticsAsync()).TotalEntries);

        var rollback = await Assert.ThrowsAsync<AuditOperationException>(
            () => insider.Ledger.Rollback.RollbackAsync(genuine.EntryHash, "admin", "bad deploy"));
        Assert.Contains("nothing was rolled back", rollback.Message);
        Assert.Equal(0, (await insider.Ledger.Queries.GetSummaryAsync()).RolledBackEntries);

        // Proofs and checkpoints cover 1..head only, so they refuse to vouch for a table with rows outside it.
        await Assert.ThrowsAsync<AuditOperationException>(() => insider.Ledger.Checkpoints.CreateAsync());
        await Assert.ThrowsAsync<AuditOperationException>(() => insider.Ledger.Proofs.InclusionAsync(Target));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PlantingARowBeforeTheStart_AfterACheckpoint_FailsTheCheckpointCheck(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var checkpoint = await insider.Ledger.Checkpoints.CreateAsync();
        await insider.DisableGuardsAsync();
        await insider.ExecAsync(Insider.InsertSql(Insider.Forge(-3, null, (await insider.EntryAsync(1)).Timestamp, ForgedId)));

        var check = await insider.Ledger.Checkpoints.CheckAsync(checkpoint);

        Assert.False(check.Matches);
        Assert.Equal(CheckpointCheck.RowsOutsideChain, check.Problem);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task InsertingInTheMiddle_IsRefused_AndWithGuardsOffBreaksTheLinkAfterIt(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var anchor = await insider.EntryAsync(Target);
        // Not at the head: a gap after it, or any sequence the chain already has, is refused.
        await insider.RefusedAsync(Insider.InsertSql(Insider.Forge(Size + 3, anchor, anchor.Timestamp, ForgedId)));

        await insider.DisableGuardsAsync();
        for (var s = Size; s > Target; s--) await insider.ExecAsync($"UPDATE audit_entries SET sequence = {s + 1} WHERE sequence = {s}");
        var forged = Insider.Forge(Target + 1, anchor, anchor.Timestamp, ForgedId);
        await insider.ExecAsync(Insider.InsertSql(forged));
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        var first = result.ChainBreaks.OrderBy(b => b.Sequence).First();
        Assert.Equal(Target + 2, first.Sequence);
        Assert.Equal(forged.EntryHash, first.ExpectedPreviousHash);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AppendingAfterTheHead_WithoutTheLink_IsRefused_AndAMadeUpHashIsReportedAtThatEntry(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var head = await insider.EntryAsync(Size);
        var unlinked = Insider.Forge(Size + 1, await insider.EntryAsync(Size - 1), head.Timestamp, ForgedId);
        await insider.RefusedAsync(Insider.InsertSql(unlinked));

        // Linked to the head but with a made-up entry hash: the database cannot hash, so it takes it; verification does not.
        var madeUp = Insider.Forge(Size + 1, head, head.Timestamp, ForgedId);
        madeUp.EntryHash = new string('f', 64);
        await insider.ExecAsync(Insider.InsertSql(madeUp));
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Size + 1 && i.Reason == InvalidEntryReasons.EntryHashMismatch);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DuplicatingAnEntryHash_IsRefused_AndWithGuardsOffMakesARollbackToItAmbiguous(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var genuine = await insider.EntryAsync(Target);
        var copy = Insider.Forge(Size + 1, await insider.EntryAsync(Size), (await insider.EntryAsync(Size)).Timestamp, ForgedId);
        copy.EntryHash = genuine.EntryHash;
        await insider.RefusedAsync(Insider.InsertSql(copy));

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(Insider.InsertSql(copy));
        var result = await insider.Ledger.Verifier.VerifyAsync();
        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Size + 1 && i.Reason == InvalidEntryReasons.EntryHashMismatch);

        var rollback = await Assert.ThrowsAsync<AuditOperationException>(
            () => insider.Ledger.Rollback.RollbackAsync(genuine.EntryHash, "admin", "bad deploy"));
        Assert.Contains("ambiguous", rollback.Message);
        Assert.Equal(0, (await insider.Ledger.Queries.GetSummaryAsync()).RolledBackEntries);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task DuplicatingAnEntryId_IsRefused_AndWithTheIndexDroppedIsReported(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var head = await insider.EntryAsync(Size);
        var reused = Insider.Forge(Size + 1, head, head.Timestamp, (await insider.EntryAsync(Target)).EntryId);
        await insider.RefusedAsync(Insider.InsertSql(reused));

        await insider.DisableGuardsAsync();
        await insider.DropIndexAsync("ux_audit_entries_entry_id");
        await insider.ExecAsync(Insider.InsertSql(reused));
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target && i.Reason == InvalidEntryReasons.DuplicateEntryId);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Size + 1 && i.Reason == InvalidEntryReasons.DuplicateEntryId);
    }

    [Fact]
    public async Task OnPostgreSql_AnUpsertOverAnEntry_IsRefusedAsTheUpdateItIs()
    {
        await using var insider = await Insider.OpenAsync(Insider.PostgreSql, Size);
        var head = await insider.EntryAsync(Size);
        var upsert = Insider.InsertSql(Insider.Forge(Size, await insider.EntryAsync(Size - 1), head.Timestamp, ForgedId)) +
                     " ON CONFLICT (sequence) DO UPDATE SET actor = 'mallory'";
        await insider.RefusedAsync(upsert);
        Assert.Equal(head.Actor, (await insider.EntryAsync(Size)).Actor);
    }

    [Fact]
    public async Task OnSqlite_InsertOrReplace_GetsPastTheGuards_ButTheEntryItDeletedIsReported()
    {
        // SQLite's REPLACE deletes the row an insert collides with without firing DELETE triggers (unless the
        // insider's own connection turns recursive triggers on), and a BEFORE INSERT guard that would see it costs
        // appends half their rate (docs/performance.md). What it deletes, verification still finds.
        await using var insider = await Insider.OpenAsync(Insider.Sqlite, Size);
        var head = await insider.EntryAsync(Size);
        var reused = Insider.Forge(Size + 1, head, head.Timestamp, (await insider.EntryAsync(Target)).EntryId);
        await insider.ExecAsync(Insider.InsertSql(reused).Replace("INSERT INTO", "INSERT OR REPLACE INTO", StringComparison.Ordinal));

        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.ChainBreaks, b => b.Sequence == Target + 1 && b.Kind == ChainBreakKinds.SequenceGap);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Backdating_IsRefused_AndWithGuardsOffReportedAsTimeGoingBackwards(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var head = await insider.EntryAsync(Size);
        // Every hash correct: only the date gives it away.
        var backdated = Insider.Forge(Size + 1, head, head.Timestamp.AddDays(-1), ForgedId);
        await insider.RefusedAsync(Insider.InsertSql(backdated));

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(Insider.InsertSql(backdated));
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Empty(result.InvalidEntries);
        var timeBreak = Assert.Single(result.ChainBreaks);
        Assert.Equal(ChainBreakKinds.TimestampRegression, timeBreak.Kind);
        Assert.Equal(Size + 1, timeBreak.Sequence);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Truncating_IsRefused_AndWithGuardsOffTheCheckpointSaysTruncated(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var checkpoint = await insider.Ledger.Checkpoints.CreateAsync();
        var cut = $"DELETE FROM audit_entries WHERE sequence > {Size - 3}";
        await insider.RefusedAsync(cut);

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(cut);

        // A shorter chain is still a valid chain: only the checkpoint can tell.
        Assert.True((await insider.Ledger.Verifier.VerifyAsync()).Valid);
        var check = await insider.Ledger.Checkpoints.CheckAsync(checkpoint);
        Assert.False(check.Matches);
        Assert.Equal(CheckpointCheck.Truncated, check.Problem);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SwappingTwoEntries_IsReportedAtBoth(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var swap = $"UPDATE audit_entries SET sequence = -1 WHERE sequence = {Target}; " +
                   $"UPDATE audit_entries SET sequence = {Target} WHERE sequence = {Target + 1}; " +
                   $"UPDATE audit_entries SET sequence = {Target + 1} WHERE sequence = -1;";
        await insider.RefusedAsync(swap);

        await insider.DisableGuardsAsync();
        await insider.ExecAsync(swap);
        var result = await insider.Ledger.Verifier.VerifyAsync();

        Assert.False(result.Valid);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target && i.Reason == InvalidEntryReasons.EntryHashMismatch);
        Assert.Contains(result.InvalidEntries, i => i.Sequence == Target + 1 && i.Reason == InvalidEntryReasons.EntryHashMismatch);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task RewritingTheWholeChain_WithGuardsOff_PassesVerification_ButTheCheckpointSaysRewritten(string provider)
    {
        await using var insider = await Insider.OpenAsync(provider, Size);
        var checkpoint = await insider.Ledger.Checkpoints.CreateAsync();
        await insider.DisableGuardsAsync();

        AuditEntry? previous = null;
        for (long s = 1; s <= Size; s++)
        {
            var entry = await insider.EntryAsync(s);
            entry.Actor = "mallory";
            entry.PreviousHash = previous?.EntryHash ?? HashSpec.GenesisHash;
            entry.EntryHash = HashSpec.ComputeEntryHash(entry);
            await insider.ReplaceAsync(entry);
            previous = entry;
        }

        Assert.True((await insider.Ledger.Verifier.VerifyAsync()).Valid);
        var check = await insider.Ledger.Checkpoints.CheckAsync(checkpoint);
        Assert.Equal(CheckpointCheck.Rewritten, check.Problem);
    }
}

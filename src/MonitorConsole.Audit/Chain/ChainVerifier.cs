using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>Which part of the chain to verify. Timestamps are UTC and inclusive.</summary>
public sealed record VerificationScope(DateTime? From = null, DateTime? To = null, long? ToSequence = null)
{
    public static readonly VerificationScope WholeChain = new();
}

/// <summary>Streams the chain in sequence order through a <see cref="ChainChecker"/>; memory stays flat.</summary>
public sealed class ChainVerifier(AuditDatabase database, TimeProvider clock)
{
    public async Task<VerificationResult> VerifyAsync(
        VerificationScope? scope = null,
        IProgress<VerificationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        scope ??= VerificationScope.WholeChain;
        UtcTime.CheckRange(scope.From, scope.To);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var started = clock.GetTimestamp();
        // One read snapshot for the whole pass, while appends carry on.
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, cancellationToken);
        var bounds = await TimeIndex.BoundsAsync(connection, transaction, scope.From, scope.To, cancellationToken);
        var first = scope.From is null ? 1 : bounds.From;
        var last = Math.Min(bounds.To, scope.ToSequence ?? long.MaxValue);
        // Entries before the range are not verified, but the range's first link (and date) is checked against the entry before.
        var anchor = first > 1 ? await AnchorAsync(connection, transaction, first, cancellationToken) : null;
        var checker = new ChainChecker(database.Options.MaxReportedProblems,
            anchor is { } a ? (a.Sequence, a.EntryHash) : null, anchor?.Timestamp);
        var total = await CountAsync(connection, transaction, first, last, cancellationToken);
        progress?.Report(new VerificationProgress(0, total));

        var parameters = new SqlParameters();
        parameters.Add("@from", first);
        parameters.Add("@to", last);
        await foreach (var batch in ChainRowReader.ReadAsync(connection, transaction, LedgerSql.Of(connection).EntriesInRange, parameters, cancellationToken))
        {
            using (batch) checker.Check(batch);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new VerificationProgress(checker.Total, Math.Max(total, checker.Total)));
        }
        await AccountForEveryRowAsync(connection, transaction, checker, wholeChain: scope == VerificationScope.WholeChain, cancellationToken);
        await RecordsPastTheRangeAsync(connection, transaction, checker, cancellationToken);
        progress?.Report(new VerificationProgress(checker.Total, checker.Total));
        return checker.Result(clock.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// The pass reads sequences 1..head in order; a row outside that range (planted below 1) or a second row with an
    /// id is invisible to it, yet would show in lookups and could be picked by one. Rows below 1 are reported on every
    /// verification (a primary-key range, cheap); duplicate ids on a whole-chain one (a walk over the id index).
    /// </summary>
    private async Task AccountForEveryRowAsync(
        DbConnection connection, DbTransaction transaction, ChainChecker checker, bool wholeChain, CancellationToken ct)
    {
        var limit = database.Options.MaxReportedProblems;
        var (outsideCount, outside) = await ChainRows.OutsideAsync(connection, transaction, limit, ct);
        checker.CountUnchainedRows(outsideCount - outside.Count);
        foreach (var row in outside)
        {
            checker.ReportUnchainedRow(new InvalidEntry(row.EntryId, row.Sequence, InvalidEntryReasons.OutsideChain,
                $"sequence {row.Sequence} is outside the chain (1 to the head): no append writes there, so the row was planted"));
            if (row.EntryHash.Length == 0) continue;
            var copies = await ChainRows.OthersWithHashAsync(connection, transaction, row.EntryHash, row.Sequence, ct);
            if (copies.Count > 0)
                checker.Report(new InvalidEntry(row.EntryId, row.Sequence, InvalidEntryReasons.DuplicateEntryHash,
                    $"its entry_hash is also the entry_hash of sequence {string.Join(", ", copies)}: a copy made to be found by hash"));
        }
        if (!wholeChain) return;
        foreach (var row in await ChainRows.DuplicateIdsAsync(connection, transaction, limit, ct))
            checker.Report(new InvalidEntry(row.EntryId, row.Sequence, InvalidEntryReasons.DuplicateEntryId,
                $"entry_id {row.EntryId} is also the id of another row: an id names one entry"));
    }

    /// <summary>
    /// An entry erased inside the range may be recorded by an ERASURE entry after it: those are looked up (by the action
    /// index) and counted when their own data still hashes to their data_hash. They are not otherwise verified here.
    /// </summary>
    private static async Task RecordsPastTheRangeAsync(
        DbConnection connection, DbTransaction transaction, ChainChecker checker, CancellationToken ct)
    {
        if (!checker.Erasures.Unmatched.Any() || checker.LastSequence is not { } last) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).ErasuresAfter;
        EntryRows.AddParameter(command, "@action", LedgerVocabulary.ErasureAction);
        EntryRows.AddParameter(command, "@after", last);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var data = reader.GetString(1);
            if (data.Length == 0 || HashSpec.ComputeDataHash(data) != reader.GetString(2)) continue;
            if (ErasureRecord.TryRead(HashSpec.StrictUtf8.GetBytes(data), out var erased, out var hash))
                checker.Erasures.Record(erased, hash, reader.GetInt64(0));
        }
    }

    private static async Task<(long Sequence, string EntryHash, string Timestamp)?> AnchorAsync(
        DbConnection connection, DbTransaction transaction, long firstSequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).Anchor;
        EntryRows.AddParameter(command, "@first", firstSequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
    }

    private static async Task<long> CountAsync(
        DbConnection connection, DbTransaction transaction, long first, long last, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).CountRange;
        EntryRows.AddParameter(command, "@from", first);
        EntryRows.AddParameter(command, "@to", last);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

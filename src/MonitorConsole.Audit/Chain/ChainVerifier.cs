using System.Data.Common;
using System.Diagnostics;
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
    private const int ProgressEvery = 10_000;

    public async Task<VerificationResult> VerifyAsync(
        VerificationScope? scope = null,
        IProgress<VerificationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        scope ??= VerificationScope.WholeChain;
        var started = clock.GetTimestamp();
        var (context, connection) = await database.OpenAsync(cancellationToken);
        await using (context)
        {
            // A read transaction gives one consistent snapshot while appends carry on.
            await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, cancellationToken);
            var (firstSequence, lastSequence) = await SequenceBoundsAsync(connection, transaction, scope, cancellationToken);
            (long, string)? anchor = null;
            if (firstSequence > 1) anchor = await AnchorAsync(connection, transaction, firstSequence, cancellationToken);
            var checker = new ChainChecker(database.Options.MaxReportedProblems, anchor);
            var total = await CountAsync(connection, transaction, firstSequence, lastSequence, cancellationToken);
            progress?.Report(new VerificationProgress(0, total));

            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                $"SELECT {AuditSchema.Columns} FROM {AuditSchema.Table} WHERE sequence >= @from AND sequence <= @to ORDER BY sequence";
            EntryRows.AddParameter(command, "@from", firstSequence);
            EntryRows.AddParameter(command, "@to", lastSequence);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                checker.Check(EntryRows.ReadRaw(reader));
                if (checker.Total % ProgressEvery == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new VerificationProgress(checker.Total, Math.Max(total, checker.Total)));
                }
            }
            progress?.Report(new VerificationProgress(checker.Total, checker.Total));
            return checker.Result(clock.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static async Task<(long First, long Last)> SequenceBoundsAsync(
        DbConnection connection, DbTransaction transaction, VerificationScope scope, CancellationToken ct)
    {
        // Timestamps never decrease along the chain, so a time range is a sequence range. Gaps and tampered timestamps
        // inside it are still read and reported, because the scan goes by sequence.
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"SELECT (SELECT MIN(sequence) FROM {AuditSchema.Table} WHERE timestamp >= @from), " +
            $"(SELECT MAX(sequence) FROM {AuditSchema.Table} WHERE timestamp <= @to)";
        EntryRows.AddParameter(command, "@from", scope.From is { } f ? HashSpec.FormatTimestamp(f) : "");
        EntryRows.AddParameter(command, "@to", scope.To is { } t ? HashSpec.FormatTimestamp(t) : "\uffff");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var first = scope.From is null ? 1 : reader.IsDBNull(0) ? long.MaxValue : reader.GetInt64(0);
        var last = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
        if (scope.From is null) first = Math.Min(first, 1);
        if (scope.ToSequence is { } toSequence) last = Math.Min(last, toSequence);
        return (first, last);
    }

    private static async Task<(long, string)?> AnchorAsync(
        DbConnection connection, DbTransaction transaction, long firstSequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"SELECT sequence, entry_hash FROM {AuditSchema.Table} WHERE sequence < @first ORDER BY sequence DESC LIMIT 1";
        EntryRows.AddParameter(command, "@first", firstSequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        return (reader.GetInt64(0), reader.GetString(1));
    }

    private static async Task<long> CountAsync(
        DbConnection connection, DbTransaction transaction, long first, long last, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT COUNT(*) FROM {AuditSchema.Table} WHERE sequence >= @from AND sequence <= @to";
        EntryRows.AddParameter(command, "@from", first);
        EntryRows.AddParameter(command, "@to", last);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}

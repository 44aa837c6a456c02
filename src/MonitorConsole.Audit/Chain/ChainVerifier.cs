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
        if (scope.From is { } f && scope.To is { } t && f > t) throw new AuditValidationException("from", "is after 'to'");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var started = clock.GetTimestamp();
        // One read snapshot for the whole pass, while appends carry on.
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, cancellationToken);
        var bounds = await TimeIndex.BoundsAsync(connection, transaction, scope.From, scope.To, cancellationToken);
        var first = scope.From is null ? 1 : bounds.From;
        var last = Math.Min(bounds.To, scope.ToSequence ?? long.MaxValue);
        // Entries before the range are not verified, but the range's first link is checked against the entry before.
        (long, string)? anchor = first > 1 ? await AnchorAsync(connection, transaction, first, cancellationToken) : null;
        var checker = new ChainChecker(database.Options.MaxReportedProblems, anchor);
        var total = await CountAsync(connection, transaction, first, last, cancellationToken);
        progress?.Report(new VerificationProgress(0, total));

        var parameters = new SqlParameters();
        var sql = $"SELECT {AuditSchema.Columns} FROM {AuditSchema.Table} " +
                  $"WHERE sequence >= {parameters.Add(first)} AND sequence <= {parameters.Add(last)} ORDER BY sequence";
        await foreach (var batch in ChainRowReader.ReadAsync(connection, sql, parameters, cancellationToken))
        {
            using (batch) checker.Check(batch);
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new VerificationProgress(checker.Total, Math.Max(total, checker.Total)));
        }
        progress?.Report(new VerificationProgress(checker.Total, checker.Total));
        return checker.Result(clock.GetElapsedTime(started).TotalMilliseconds);
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

using System.Data.Common;
using System.Globalization;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Queries;

/// <summary>An entry as read back, with whether a rollback has rolled it back.</summary>
public sealed record AuditEntryView(AuditEntry Entry, bool RolledBack);

/// <summary>One page of a trail, newest first. Pass <see cref="NextCursor"/> as the cursor for the next page.</summary>
/// <summary>Who erased an entry's data, when and why: the ERASURE entry that records it.</summary>
public sealed record ErasureNote(long ErasureSequence, DateTime Timestamp, string Actor, string Reason);

public sealed record TrailPage(IReadOnlyList<AuditEntryView> Entries, long? NextCursor);

public sealed record AuditStatistics(
    long TotalEntries,
    long UniqueActors,
    IReadOnlyDictionary<string, long> ActionCounts,
    DateTime? FirstTimestamp,
    DateTime? LastTimestamp,
    IReadOnlyDictionary<string, long> EntriesPerDay,
    long RolledBackEntries,
    long ChainLength);

/// <summary>What can be said about the ledger without scanning it: its length, newest entry and rolled-back count.</summary>
public sealed record LedgerSummary(long ChainLength, DateTime? LastTimestamp, string? LastEntryHash, long RolledBackEntries);

/// <summary>Reads: single entries, keyset-paged trails and statistics.</summary>
public sealed class AuditQueries(AuditDatabase database)
{
    public const int MaxPageSize = 1000;

    public Task<AuditEntryView?> GetByIdAsync(string entryId, CancellationToken ct = default) =>
        GetOneAsync(sql => sql.OneById, entryId?.Trim().ToLowerInvariant() ?? "", ct);

    public Task<AuditEntryView?> GetByHashAsync(string entryHash, CancellationToken ct = default) =>
        GetOneAsync(sql => sql.OneByHash, entryHash?.Trim().ToLowerInvariant() ?? "", ct);

    public Task<AuditEntryView?> GetBySequenceAsync(long sequence, CancellationToken ct = default) =>
        GetOneAsync(sql => sql.OneBySequence, sequence, ct);

    /// <summary>Entries matching the filter, newest first, <paramref name="limit"/> at a time, before the cursor.</summary>
    public async Task<TrailPage> GetTrailAsync(
        TrailFilter filter, long? beforeSequence = null, int limit = 50, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxPageSize) throw new AuditValidationException("limit", $"must be between 1 and {MaxPageSize}");
        await using var connection = await database.OpenConnectionAsync(ct);
        {
            var rolledBack = await RolledBackRanges.LoadAsync(connection, null, ct);
            await using var command = connection.CreateCommand();
            var parameters = new SqlParameters();
            var where = await filter.WhereSqlAsync(connection, null, parameters, rolledBack, ct);
            if (beforeSequence is { } before) where += " AND sequence < " + parameters.Add(before);
            parameters.ApplyTo(command);
            command.CommandText = LedgerSql.Of(connection).Trail(where, limit + 1);
            var entries = new List<AuditEntryView>(limit + 1);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var entry = EntryRows.ReadEntry(reader);
                entries.Add(new AuditEntryView(entry, rolledBack.Contains(entry.Sequence)));
            }
            long? next = null;
            if (entries.Count > limit)
            {
                entries.RemoveAt(limit);
                next = entries[^1].Entry.Sequence;
            }
            return new TrailPage(entries, next);
        }
    }

    /// <summary>How many entries match the filter: the trail's total, counted in the database.</summary>
    public async Task<long> CountAsync(TrailFilter filter, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var rolledBack = await RolledBackRanges.LoadAsync(connection, null, ct);
        await using var command = connection.CreateCommand();
        var parameters = new SqlParameters();
        var where = await filter.WhereSqlAsync(connection, null, parameters, rolledBack, ct);
        parameters.ApplyTo(command);
        command.CommandText = LedgerSql.Of(connection).CountWhere(where);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    public const int MaxSuggestions = 20;

    /// <summary>
    /// Values of a field (actor, action or resource) present in the ledger whose lower case starts with what was typed,
    /// from the search index (so values appended since its last pass are not offered yet).
    /// </summary>
    public async Task<IReadOnlyList<string>> SuggestAsync(string field, string? typed, int limit = MaxSuggestions, CancellationToken ct = default)
    {
        if (!Search.SearchFields.Suggestible.Contains(field))
            throw new AuditValidationException("field", $"must be one of {string.Join(", ", Search.SearchFields.Suggestible)}");
        if (limit is < 1 or > MaxSuggestions) throw new AuditValidationException("limit", $"must be between 1 and {MaxSuggestions}");
        var prefix = (typed ?? "").Trim().ToLowerInvariant();
        // '!' escapes: a backslash would itself need escaping in MySQL's string literals.
        var pattern = prefix.Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal)
            .Replace("_", "!_", StringComparison.Ordinal).Replace("[", "![", StringComparison.Ordinal) + "%";
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = LedgerSql.Of(connection).SearchSuggestions(limit);
        EntryRows.AddParameter(command, "@field", field);
        EntryRows.AddParameter(command, "@prefix", pattern);
        var values = new List<string>(limit);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) values.Add(reader.GetString(0));
        return values;
    }

    /// <summary>
    /// A cheap summary from the chain head and the (few, indexed) ROLLBACK entries, for health checks and the overview;
    /// <see cref="GetStatisticsAsync"/> scans the whole ledger (about 2 s at 1,000,000 entries).
    /// </summary>
    public async Task<LedgerSummary> GetSummaryAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
        var head = await ChainRows.HeadAsync(connection, transaction, ct);
        var rolledBack = await RolledBackRanges.LoadAsync(connection, transaction, ct);
        return new LedgerSummary(head.Sequence, head.Sequence == 0 ? null : head.Timestamp,
            head.Sequence == 0 ? null : head.EntryHash, rolledBack.Count);
    }

    public async Task<AuditStatistics> GetStatisticsAsync(bool includeRolledBack = false, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        {
            await using var transaction = await AuditDatabase.BeginReadTransactionAsync(connection, ct);
            var rolledBack = await RolledBackRanges.LoadAsync(connection, transaction, ct);
            var filter = includeRolledBack ? TrailFilter.All with { IncludeRolledBack = true } : TrailFilter.All;

            long total = 0, actors = 0, chainLength = 0;
            string? first = null, last = null;
            await using (var command = Command(connection, transaction))
            {
                var parameters = new SqlParameters();
                var where = await filter.WhereSqlAsync(connection, transaction, parameters, rolledBack, ct);
                parameters.ApplyTo(command);
                command.CommandText = LedgerSql.Of(connection).Statistics(where);
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                total = reader.GetInt64(0);
                actors = reader.GetInt64(1);
                first = reader.IsDBNull(2) ? null : reader.GetString(2);
                last = reader.IsDBNull(3) ? null : reader.GetString(3);
                chainLength = reader.GetInt64(4);
            }
            var actions = await GroupCountsAsync(connection, transaction, filter, rolledBack, (sql, where) => sql.ActionCounts(where), ct);
            var days = await GroupCountsAsync(connection, transaction, filter, rolledBack, (sql, where) => sql.DayCounts(where), ct);
            return new AuditStatistics(total, actors, actions, Parse(first), Parse(last), days, rolledBack.Count, chainLength);
        }
    }

    private static async Task<IReadOnlyDictionary<string, long>> GroupCountsAsync(
        DbConnection connection, DbTransaction transaction, TrailFilter filter, RolledBackRanges rolledBack,
        Func<LedgerSql, string, string> statement, CancellationToken ct)
    {
        await using var command = Command(connection, transaction);
        var parameters = new SqlParameters();
        var where = await filter.WhereSqlAsync(connection, transaction, parameters, rolledBack, ct);
        parameters.ApplyTo(command);
        command.CommandText = statement(LedgerSql.Of(connection), where);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>
    /// The ERASURE entry after <paramref name="erased"/> that names its sequence and entry hash, or null (its data is
    /// not erased, or it was removed without one: verification reports that). ERASURE entries are few and indexed by action.
    /// </summary>
    public async Task<ErasureNote?> GetErasureAsync(AuditEntry erased, CancellationToken ct = default)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = LedgerSql.Of(connection).ErasureEntriesAfter;
        EntryRows.AddParameter(command, "@action", LedgerVocabulary.ErasureAction);
        EntryRows.AddParameter(command, "@after", erased.Sequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            try
            {
                using var data = System.Text.Json.JsonDocument.Parse(reader.GetString(3));
                var root = data.RootElement;
                if (root.ValueKind != System.Text.Json.JsonValueKind.Object
                    || !root.TryGetProperty("erased_sequence", out var sequence) || !sequence.TryGetInt64(out var named) || named != erased.Sequence
                    || !root.TryGetProperty("erased_entry_hash", out var hash) || hash.ValueKind != System.Text.Json.JsonValueKind.String
                    || hash.GetString() != erased.EntryHash)
                    continue;
                HashSpec.TryParseTimestamp(reader.GetString(1), out var timestamp);
                var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String ? r.GetString()! : "";
                return new ErasureNote(reader.GetInt64(0), timestamp, reader.GetString(2), reason);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not an erasure record this entry can be read from; verification reports a tampered one.
            }
        }
        return null;
    }

    private async Task<AuditEntryView?> GetOneAsync(Func<LedgerSql, string> statement, object value, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        {
            await using var command = connection.CreateCommand();
            // Only the chain's own rows (sequence 1 and up) answer a lookup; verification reports any others.
            command.CommandText = statement(LedgerSql.Of(connection));
            EntryRows.AddParameter(command, "@value", value);
            AuditEntry? entry = null;
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                if (await reader.ReadAsync(ct)) entry = EntryRows.ReadEntry(reader);
            }
            if (entry is null) return null;
            var rolledBack = await RolledBackRanges.LoadAsync(connection, null, ct);
            return new AuditEntryView(entry, rolledBack.Contains(entry.Sequence));
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    private static DateTime? Parse(string? timestamp) =>
        timestamp is not null && HashSpec.TryParseTimestamp(timestamp, out var t) ? t : null;
}

using System.Globalization;
using Microsoft.Data.Sqlite;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Audit.Tests.Support;

/// <summary>
/// Someone with SQL access to the ledger's database (the SQLite file, or a server role that may alter tables),
/// working around the app: runs raw SQL, switches the database's guards off, forges rows with correct hashes.
/// </summary>
public sealed class Insider : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = ServerDatabase.PostgreSql;
    public const string MySql = ServerDatabase.MySql;
    public const string SqlServer = ServerDatabase.SqlServer;

    /// <summary>Every provider the attacks are played against (servers skip unless configured).</summary>
    public static readonly string[] Providers = [Sqlite, PostgreSql, MySql, SqlServer];

    private readonly ServerDatabase? _server;
    private readonly string _provider;

    private Insider(LedgerFixture ledger, ServerDatabase? server, string provider) =>
        (Ledger, _server, _provider) = (ledger, server, provider);

    public LedgerFixture Ledger { get; }

    /// <summary>A ledger of <paramref name="size"/> entries on the provider, with the insider's access to it.</summary>
    public static async Task<Insider> OpenAsync(string provider, int size)
    {
        var server = provider == Sqlite ? null : await ServerDatabases.CreateAsync(provider);
        var ledger = server is null ? new LedgerFixture() : new LedgerFixture(o => o.Database = server.Database);
        var insider = new Insider(ledger, server, provider);
        await ledger.SeedAsync(size);
        return insider;
    }

    public async Task ExecAsync(string sql)
    {
        if (_server is not null)
        {
            await _server.SqlAsync(sql);
            return;
        }
        await using var connection = new SqliteConnection($"Data Source={Ledger.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>What the database answers to a change that its guards should refuse.</summary>
    public async Task<Exception> RefusedAsync(string sql) =>
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => ExecAsync(sql));

    /// <summary>Turns off every guard the migrations installed (triggers, the sequence check, the unique hash index), as a table owner can.</summary>
    public Task DisableGuardsAsync() => ExecAsync(_provider switch
    {
        PostgreSql => "ALTER TABLE audit_entries DISABLE TRIGGER USER; ALTER TABLE audit_entries DROP CONSTRAINT IF EXISTS ck_audit_entries_sequence_positive; DROP INDEX IF EXISTS ux_audit_entries_entry_hash_prefix;",
        MySql => "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_continue_head; " +
                 "ALTER TABLE audit_entries DROP CONSTRAINT ck_audit_entries_sequence_positive; DROP INDEX ux_audit_entries_entry_hash_prefix ON audit_entries;",
        SqlServer => "DISABLE TRIGGER ALL ON audit_entries; ALTER TABLE audit_entries DROP CONSTRAINT ck_audit_entries_sequence_positive;",
        _ => "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_continue_head; DROP INDEX IF EXISTS ux_audit_entries_entry_hash_prefix;",
    });

    /// <summary>Drops an index of audit_entries, in the provider's syntax.</summary>
    public Task DropIndexAsync(string name) =>
        ExecAsync(_provider is MySql or SqlServer ? $"DROP INDEX {name} ON audit_entries" : $"DROP INDEX {name}");

    /// <summary>An SQL expression: the hash in <paramref name="column"/> with its first hex digit changed, still well-formed.</summary>
    public string FlipFirstCharacter(string column) => _provider switch
    {
        MySql => $"CONCAT(CASE WHEN LEFT({column}, 1) = 'a' THEN 'b' ELSE 'a' END, SUBSTRING({column}, 2))",
        SqlServer => $"CASE WHEN LEFT({column}, 1) = 'a' THEN 'b' ELSE 'a' END + SUBSTRING({column}, 2, 4000)",
        _ => $"CASE WHEN substr({column}, 1, 1) = 'a' THEN 'b' ELSE 'a' END || substr({column}, 2)",
    };

    public async Task<AuditEntry> EntryAsync(long sequence) => (await Ledger.Queries.GetBySequenceAsync(sequence))!.Entry;

    /// <summary>
    /// An entry that chains onto <paramref name="previous"/> at <paramref name="sequence"/> with every hash computed as
    /// the spec says: what verification accepts on its own.
    /// </summary>
    public static AuditEntry Forge(long sequence, AuditEntry? previous, DateTime timestamp, string entryId,
        string actor = "mallory", string action = "APPROVE")
    {
        var entry = new AuditEntry
        {
            Sequence = sequence,
            EntryId = entryId,
            Timestamp = timestamp,
            Action = action,
            Actor = actor,
            ResourceType = "model",
            ResourceId = "credit_risk",
            Data = """{"forged":true}""",
            Details = null,
            DataHash = HashSpec.ComputeDataHash("""{"forged":true}"""),
            PreviousHash = previous?.EntryHash ?? HashSpec.GenesisHash,
        };
        entry.EntryHash = HashSpec.ComputeEntryHash(entry);
        return entry;
    }

    public static string InsertSql(AuditEntry e) =>
        "INSERT INTO audit_entries (sequence, entry_id, timestamp, action, actor, resource_type, resource_id, data, details, data_hash, previous_hash, entry_hash) VALUES (" +
        string.Join(", ",
            e.Sequence.ToString(CultureInfo.InvariantCulture), Quote(e.EntryId), Quote(HashSpec.FormatTimestamp(e.Timestamp)),
            Quote(e.Action), Quote(e.Actor), Quote(e.ResourceType), Quote(e.ResourceId), Quote(e.Data), Quote(e.Details),
            Quote(e.DataHash), Quote(e.PreviousHash), Quote(e.EntryHash)) + ")";

    /// <summary>Rewrites the entry at its sequence (guards off), every field as given.</summary>
    public Task ReplaceAsync(AuditEntry e) =>
        ExecAsync($"DELETE FROM audit_entries WHERE sequence = {e.Sequence}; {InsertSql(e)}");

    private static string Quote(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}

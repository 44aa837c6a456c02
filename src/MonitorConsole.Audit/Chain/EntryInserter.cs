using System.Data.Common;
using MonitorConsole.Audit.Storage;
using SQLitePCL;

namespace MonitorConsole.Audit.Chain;

/// <summary>
/// Sends a transaction's entries to the database in multi-row INSERTs. On SQLite, up to <see cref="SqliteRowsPerStatement"/>
/// rows go in one prepared statement (one per row count, kept for the connection's life, bound by position): every
/// statement on a table with a guard trigger pays for a statement journal, so fewer, larger statements keep the guard
/// cheap. On a server database the rows are sent up to <see cref="BatchSize"/> at a time in one round trip —
/// PostgreSQL's binary COPY from <see cref="CopyThreshold"/> rows, a multi-row INSERT below that and on the other
/// servers (fewer rows per statement where the dialect says so, and no more than <see cref="MaxStatementChars"/> of
/// text, below MySQL's default packet limit). <see cref="Flush"/> sends what is left and must run before the
/// transaction commits.
/// </summary>
internal sealed class EntryInserter : IDisposable
{
    public const int BatchSize = 1000;

    /// <summary>Rows per SQLite statement: 12 parameters each, far below SQLite's limit of 32,766.</summary>
    public const int SqliteRowsPerStatement = 8;

    /// <summary>Characters of entry text per multi-row INSERT before it is sent (MySQL's max_allowed_packet is 16 MiB by default).</summary>
    public const int MaxStatementChars = 4 * 1024 * 1024;

    private readonly DbConnection _connection;
    private readonly bool _sqlite;
    private readonly LedgerSql _sql;
    private readonly int _rowsPerStatement;
    private long _pendingChars;
    private readonly List<AuditEntry> _pending;
    private readonly sqlite3_stmt?[] _sqliteStatements = new sqlite3_stmt?[SqliteRowsPerStatement + 1];

    public EntryInserter(DbConnection connection)
    {
        _connection = connection;
        _sqlite = connection is Microsoft.Data.Sqlite.SqliteConnection;
        _sql = LedgerSql.Of(connection);
        _rowsPerStatement = _sqlite ? SqliteRowsPerStatement : Math.Min(BatchSize, _sql.RowsPerInsert);
        _pending = new List<AuditEntry>(_rowsPerStatement);
    }

    /// <summary>The open transaction (server databases' commands need it; SQLite's statements run in the connection's).</summary>
    public DbTransaction? Transaction { get; set; }

    public void Insert(AuditEntry e)
    {
        _pending.Add(e);
        if (!_sqlite) _pendingChars += e.Data.Length + (e.Details?.Length ?? 0) + 512;
        if (_pending.Count >= _rowsPerStatement || _pendingChars >= MaxStatementChars) Flush();
    }

    /// <summary>Sends the rows still waiting (server databases); a failure here aborts the transaction like any other.</summary>
    public void Flush()
    {
        if (_pending.Count == 0) return;
        if (_sqlite)
        {
            InsertSqlite();
            return;
        }
        if (_connection is Npgsql.NpgsqlConnection npgsql && _pending.Count >= CopyThreshold)
        {
            Copy(npgsql);
            return;
        }
        // One multi-row INSERT: the server parses and plans one statement per group instead of one per row.
        using var command = _connection.CreateCommand();
        command.Transaction = Transaction;
        foreach (var e in _pending)
        {
            object?[] values = [e.Sequence, .. TextColumns(e)];
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = _sql.ParameterName(command.Parameters.Count + 1);
                parameter.DbType = i == 0 ? System.Data.DbType.Int64 : System.Data.DbType.String;
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
        }
        command.CommandText = _sql.Insert(_pending.Count);
        command.ExecuteNonQuery();
        Clear();
    }

    private void Clear()
    {
        _pending.Clear();
        _pendingChars = 0;
    }

    /// <summary>An entry's columns after sequence, in the order of <see cref="AuditSchema.Columns"/>.</summary>
    private static string?[] TextColumns(AuditEntry e) =>
        [e.EntryId, HashSpec.FormatTimestamp(e.Timestamp), e.Action, e.Actor, e.ResourceType, e.ResourceId, e.Data, e.Details,
         e.DataHash, e.PreviousHash, e.EntryHash];

    /// <summary>
    /// Binds by position through SQLite's own API: Microsoft.Data.Sqlite looks every parameter up by name on each
    /// execution, a linear search that grows with the square of a multi-row statement's parameter count.
    /// </summary>
    private void InsertSqlite()
    {
        var statement = SqliteStatement(_pending.Count);
        try
        {
            var index = 1;
            foreach (var e in _pending)
            {
                Bind(statement, index++, e.Sequence);
                foreach (var text in TextColumns(e)) Bind(statement, index++, text);
            }
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE) throw SqliteError(rc);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
        _pending.Clear();
    }

    private void Bind(sqlite3_stmt statement, int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    private void Bind(sqlite3_stmt statement, int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(statement, index) : raw.sqlite3_bind_text(statement, index, value));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw SqliteError(rc);
    }

    private Microsoft.Data.Sqlite.SqliteException SqliteError(int rc)
    {
        var db = ((Microsoft.Data.Sqlite.SqliteConnection)_connection).Handle!;
        return new Microsoft.Data.Sqlite.SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
    }

    /// <summary>The prepared INSERT for <paramref name="rows"/> rows, made on first use and kept with the connection.</summary>
    private sqlite3_stmt SqliteStatement(int rows)
    {
        if (_sqliteStatements[rows] is { } cached) return cached;
        var values = string.Join(", ", Enumerable.Repeat("(" + string.Join(", ", Enumerable.Repeat("?", Col.Count)) + ")", rows));
        var db = ((Microsoft.Data.Sqlite.SqliteConnection)_connection).Handle!;
        var rc = raw.sqlite3_prepare_v2(db, $"INSERT INTO {AuditSchema.Table} ({AuditSchema.Columns}) VALUES {values}", out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            throw SqliteError(rc);
        }
        return _sqliteStatements[rows] = statement;
    }

    /// <summary>From this many rows on, PostgreSQL gets them through COPY (no per-statement work on the server).</summary>
    public const int CopyThreshold = 64;

    private void Copy(Npgsql.NpgsqlConnection connection)
    {
        // COPY runs in the connection's open transaction, so the rows commit or vanish with it like any INSERT.
        using (var importer = connection.BeginBinaryImport($"COPY {AuditSchema.Table} ({AuditSchema.Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in _pending)
            {
                importer.StartRow();
                importer.Write(e.Sequence, NpgsqlTypes.NpgsqlDbType.Bigint);
                foreach (var text in TextColumns(e))
                {
                    if (text is null) importer.WriteNull();
                    else importer.Write(text, NpgsqlTypes.NpgsqlDbType.Text);
                }
            }
            importer.Complete();
        }
        Clear();
    }

    /// <summary>Drops rows not yet sent (the transaction they belonged to was abandoned).</summary>
    public void Discard() => Clear();

    public void Dispose()
    {
        foreach (var statement in _sqliteStatements) statement?.Dispose();
    }
}

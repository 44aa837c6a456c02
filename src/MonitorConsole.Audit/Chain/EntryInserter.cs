using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>
/// One prepared INSERT reused for every entry of a transaction (SQLite). On a server database the rows are gathered and
/// sent up to <see cref="BatchSize"/> at a time in one round trip — PostgreSQL's binary COPY from
/// <see cref="CopyThreshold"/> rows, a multi-row INSERT below that; <see cref="Flush"/> sends what is left and must run
/// before the transaction commits.
/// </summary>
internal sealed class EntryInserter : IDisposable
{
    public const int BatchSize = 1000;

    private readonly DbConnection _connection;
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private readonly List<AuditEntry>? _pending;
    private bool _prepared;

    public EntryInserter(DbConnection connection)
    {
        _connection = connection;
        // SQLite runs in-process: a prepared statement per row costs no round trip, and batching buys nothing.
        _pending = connection is Microsoft.Data.Sqlite.SqliteConnection ? null : new List<AuditEntry>(BatchSize);
        _command = connection.CreateCommand();
        _command.CommandText =
            $"INSERT INTO {AuditSchema.Table} ({AuditSchema.Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)";
        _parameters = new DbParameter[12];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = "@p" + i;
            // Typed up front: a prepared statement on a server database must not see a column change type when a
            // value is null (resource_id, details).
            p.DbType = i == 0 ? System.Data.DbType.Int64 : System.Data.DbType.String;
            _command.Parameters.Add(p);
            _parameters[i] = p;
        }
    }

    public DbTransaction? Transaction
    {
        get => _command.Transaction;
        set => _command.Transaction = value;
    }

    public void Insert(AuditEntry e)
    {
        if (_pending is not null)
        {
            _pending.Add(e);
            if (_pending.Count >= BatchSize) Flush();
            return;
        }
        _parameters[0].Value = e.Sequence;
        _parameters[1].Value = e.EntryId;
        _parameters[2].Value = HashSpec.FormatTimestamp(e.Timestamp);
        _parameters[3].Value = e.Action;
        _parameters[4].Value = e.Actor;
        _parameters[5].Value = e.ResourceType;
        _parameters[6].Value = (object?)e.ResourceId ?? DBNull.Value;
        _parameters[7].Value = e.Data;
        _parameters[8].Value = (object?)e.Details ?? DBNull.Value;
        _parameters[9].Value = e.DataHash;
        _parameters[10].Value = e.PreviousHash;
        _parameters[11].Value = e.EntryHash;
        // Prepared on first use, inside a transaction, and kept for the life of the connection.
        if (!_prepared) { _command.Prepare(); _prepared = true; }
        _command.ExecuteNonQuery();
    }

    /// <summary>Sends the rows still waiting (server databases); a failure here aborts the transaction like any other.</summary>
    public void Flush()
    {
        if (_pending is not { Count: > 0 }) return;
        if (_connection is Npgsql.NpgsqlConnection npgsql && _pending.Count >= CopyThreshold)
        {
            Copy(npgsql);
            return;
        }
        // One multi-row INSERT: the server parses and plans one statement per group instead of one per row.
        using var command = _connection.CreateCommand();
        command.Transaction = Transaction;
        var sql = new System.Text.StringBuilder($"INSERT INTO {AuditSchema.Table} ({AuditSchema.Columns}) VALUES ");
        foreach (var e in _pending)
        {
            object?[] values =
            [
                e.Sequence, e.EntryId, HashSpec.FormatTimestamp(e.Timestamp), e.Action, e.Actor, e.ResourceType, e.ResourceId,
                e.Data, e.Details, e.DataHash, e.PreviousHash, e.EntryHash,
            ];
            sql.Append(command.Parameters.Count == 0 ? "(" : ", (");
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.DbType = i == 0 ? System.Data.DbType.Int64 : System.Data.DbType.String;
                parameter.Value = values[i] ?? DBNull.Value;
                command.Parameters.Add(parameter);
                sql.Append(i == 0 ? "$" : ", $").Append(command.Parameters.Count);
            }
            sql.Append(')');
        }
        command.CommandText = sql.ToString();
        command.ExecuteNonQuery();
        _pending.Clear();
    }

    /// <summary>From this many rows on, PostgreSQL gets them through COPY (no per-statement work on the server).</summary>
    public const int CopyThreshold = 64;

    private void Copy(Npgsql.NpgsqlConnection connection)
    {
        // COPY runs in the connection's open transaction, so the rows commit or vanish with it like any INSERT.
        using (var importer = connection.BeginBinaryImport($"COPY {AuditSchema.Table} ({AuditSchema.Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var e in _pending!)
            {
                importer.StartRow();
                importer.Write(e.Sequence, NpgsqlTypes.NpgsqlDbType.Bigint);
                foreach (var text in new[] { e.EntryId, HashSpec.FormatTimestamp(e.Timestamp), e.Action, e.Actor, e.ResourceType, e.ResourceId, e.Data, e.Details, e.DataHash, e.PreviousHash, e.EntryHash })
                {
                    if (text is null) importer.WriteNull();
                    else importer.Write(text, NpgsqlTypes.NpgsqlDbType.Text);
                }
            }
            importer.Complete();
        }
        _pending.Clear();
    }

    /// <summary>Drops rows not yet sent (the transaction they belonged to was abandoned).</summary>
    public void Discard() => _pending?.Clear();

    public void Dispose() => _command.Dispose();
}

using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>One prepared INSERT reused for every entry of a transaction.</summary>
internal sealed class EntryInserter : IDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private bool _prepared;

    public EntryInserter(DbConnection connection)
    {
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

    public void Dispose() => _command.Dispose();
}

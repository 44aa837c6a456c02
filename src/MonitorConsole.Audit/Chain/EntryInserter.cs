using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Chain;

/// <summary>One prepared INSERT reused for every entry of a transaction.</summary>
internal sealed class EntryInserter : IDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    public EntryInserter(DbConnection connection, DbTransaction transaction)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText =
            $"INSERT INTO {AuditSchema.Table} ({AuditSchema.Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)";
        _parameters = new DbParameter[12];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var p = _command.CreateParameter();
            p.ParameterName = "@p" + i;
            _command.Parameters.Add(p);
            _parameters[i] = p;
        }
        _command.Prepare();
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
        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}

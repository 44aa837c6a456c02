using System.Buffers;
using System.Data.Common;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Merkle;

/// <summary>Reads the ledger's Merkle leaves: leaf i is the entry with sequence i + 1.</summary>
internal static class LedgerLeaves
{
    /// <summary>Calls <paramref name="each"/> with (index, entry hash, leaf hash) for leaves [start, end) in order; a gap in the sequence or a malformed hash is refused.</summary>
    public static async Task ReadAsync(DbConnection connection, DbTransaction transaction, long start, long end,
        Action<long, string, byte[]> each, CancellationToken ct)
    {
        if (end <= start) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).Leaves;
        Add(command, "@first", start);
        Add(command, "@last", end);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var index = start;
        var entryHash = new byte[MerkleTree.HashSize];
        while (await reader.ReadAsync(ct))
        {
            if (reader.GetInt64(0) != index + 1)
                throw new AuditOperationException($"the chain has a gap before sequence {reader.GetInt64(0)}; verify it before asking for proofs");
            var hex = reader.GetString(1);
            if (Convert.FromHexString(hex, entryHash, out _, out _) != OperationStatus.Done)
                throw new AuditOperationException($"entry {index + 1} has a malformed entry_hash; verify the chain");
            each(index, hex, MerkleTree.LeafHash(entryHash));
            index++;
        }
        if (index != end) throw new AuditOperationException($"the chain ends at sequence {index}, before {end}; verify it before asking for proofs");
    }

    public static async Task<string?> EntryHashAsync(DbConnection connection, DbTransaction transaction, long sequence, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = LedgerSql.Of(connection).EntryHashAt;
        Add(command, "@sequence", sequence);
        return await command.ExecuteScalarAsync(ct) as string;
    }

    private static void Add(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

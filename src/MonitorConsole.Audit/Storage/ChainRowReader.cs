using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MonitorConsole.Audit.Storage;

/// <summary>
/// Streams rows selected with <see cref="AuditSchema.Columns"/> in batches of UTF-8 bytes. Reading runs on its own
/// task, one batch ahead of the consumer, so reading and hashing overlap on the two cores. On SQLite the rows are read
/// through the C API, straight from SQLite's buffers, which is several times faster than decoding them into strings.
/// </summary>
internal static class ChainRowReader
{
    public const int BatchSize = 4096;

    /// <param name="transaction">The connection's open transaction, if any (SQL Server's and MySQL's drivers refuse a command outside it).</param>
    public static async IAsyncEnumerable<ChainRowBatch> ReadAsync(
        DbConnection connection, DbTransaction? transaction, string sql, SqlParameters parameters,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var channel = Channel.CreateBounded<ChainRowBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        // Stops the reading task however the consumer leaves: done, cancelled or failed.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() =>
        {
            try
            {
                if (connection is SqliteConnection sqlite) ReadSqlite(sqlite, sql, parameters, channel.Writer, stop.Token);
                else ReadAdo(connection, transaction, sql, parameters, channel.Writer, textAsBytes: connection is Npgsql.NpgsqlConnection, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct)) yield return batch;
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
            while (channel.Reader.TryRead(out var leftover)) leftover.Dispose();
        }
    }

    private static void ReadSqlite(SqliteConnection connection, string sql, SqlParameters parameters,
        ChannelWriter<ChainRowBatch> output, CancellationToken ct)
    {
        var db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, sql, out var stmt), db);
        using (stmt)
        {
            foreach (var (name, value) in parameters.Items)
            {
                var index = raw.sqlite3_bind_parameter_index(stmt, name);
                var rc = value switch
                {
                    long l => raw.sqlite3_bind_int64(stmt, index, l),
                    int n => raw.sqlite3_bind_int64(stmt, index, n),
                    string s => raw.sqlite3_bind_text(stmt, index, s),
                    null => raw.sqlite3_bind_null(stmt, index),
                    _ => throw new InvalidOperationException($"cannot bind {value.GetType().Name}"),
                };
                Check(rc, db);
            }
            var batch = new ChainRowBatch(BatchSize);
            while (true)
            {
                var rc = raw.sqlite3_step(stmt);
                if (rc == raw.SQLITE_DONE) break;
                if (rc != raw.SQLITE_ROW) Check(rc, db);
                var row = batch.AddRow(raw.sqlite3_column_type(stmt, 0) == raw.SQLITE_INTEGER ? raw.sqlite3_column_int64(stmt, 0) : null);
                for (var c = 1; c < Col.Count; c++)
                {
                    if (raw.sqlite3_column_type(stmt, c) == raw.SQLITE_NULL) batch.SetNull(row, c);
                    else batch.Set(row, c, raw.sqlite3_column_blob(stmt, c));
                }
                if (!batch.IsFull) continue;
                Publish(output, batch, ct);
                batch = new ChainRowBatch(BatchSize);
            }
            if (batch.Count > 0) Publish(output, batch, ct);
            else batch.Dispose();
        }
    }

    /// <param name="textAsBytes">
    /// The provider can hand over a text column's UTF-8 bytes as they came from the server (Npgsql does), which saves
    /// decoding every field into a string only to encode it again for hashing.
    /// </param>
    private static void ReadAdo(DbConnection connection, DbTransaction? transaction, string sql, SqlParameters parameters,
        ChannelWriter<ChainRowBatch> output, bool textAsBytes, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        parameters.ApplyTo(command);
        using var reader = command.ExecuteReader();
        var batch = new ChainRowBatch(BatchSize);
        while (reader.Read())
        {
            if (textAsBytes) AddBytes(batch, reader);
            else batch.Add(EntryRows.ReadRaw(reader));
            if (!batch.IsFull) continue;
            Publish(output, batch, ct);
            batch = new ChainRowBatch(BatchSize);
        }
        if (batch.Count > 0) Publish(output, batch, ct);
        else batch.Dispose();
    }

    private static void AddBytes(ChainRowBatch batch, DbDataReader reader)
    {
        var row = batch.AddRow(reader.IsDBNull(0) ? null : reader.GetInt64(0));
        for (var c = 1; c < Col.Count; c++)
        {
            if (reader.IsDBNull(c)) batch.SetNull(row, c);
            else batch.Set(row, c, reader.GetFieldValue<byte[]>(c));
        }
    }

    private static void Publish(ChannelWriter<ChainRowBatch> output, ChainRowBatch batch, CancellationToken ct)
    {
        if (output.TryWrite(batch)) return;
        try
        {
            output.WriteAsync(batch, ct).AsTask().GetAwaiter().GetResult();
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
    }
}

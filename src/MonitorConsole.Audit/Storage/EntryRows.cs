using System.Data.Common;

namespace MonitorConsole.Audit.Storage;

/// <summary>Reads audit_entries rows (selected with <see cref="AuditSchema.Columns"/>) without trusting them.</summary>
internal static class EntryRows
{
    public static RawEntry ReadRaw(DbDataReader r) => new(
        Sequence: r.IsDBNull(0) ? null : SafeInt64(r),
        EntryId: Text(r, 1),
        Timestamp: Text(r, 2),
        Action: Text(r, 3),
        Actor: Text(r, 4),
        ResourceType: Text(r, 5),
        ResourceId: Text(r, 6),
        Data: Text(r, 7),
        Details: Text(r, 8),
        DataHash: Text(r, 9),
        PreviousHash: Text(r, 10),
        EntryHash: Text(r, 11));

    /// <summary>A row as an entry, for reads of a chain already written by the app.</summary>
    public static AuditEntry ReadEntry(DbDataReader r)
    {
        HashSpec.TryParseTimestamp(r.GetString(2), out var timestamp);
        return new AuditEntry
        {
            Sequence = r.GetInt64(0),
            EntryId = r.GetString(1),
            Timestamp = timestamp,
            Action = r.GetString(3),
            Actor = r.GetString(4),
            ResourceType = r.GetString(5),
            ResourceId = r.IsDBNull(6) ? null : r.GetString(6),
            Data = r.GetString(7),
            Details = r.IsDBNull(8) ? null : r.GetString(8),
            DataHash = r.GetString(9),
            PreviousHash = r.GetString(10),
            EntryHash = r.GetString(11),
        };
    }

    private static long? SafeInt64(DbDataReader r)
    {
        try
        {
            return r.GetInt64(0);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            return null;
        }
    }

    private static string? Text(DbDataReader r, int ordinal)
    {
        if (r.IsDBNull(ordinal)) return null;
        var value = r.GetValue(ordinal);
        return value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void AddParameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }
}

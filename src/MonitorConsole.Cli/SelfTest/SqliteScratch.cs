using System.Data.Common;
using Microsoft.Data.Sqlite;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Cli.SelfTest;

/// <summary>
/// A scratch file in a new folder beside the user's SQLite file, so the checks run on the same filesystem (locking,
/// fsync, WAL's shared memory) as the real ledger, which is never opened.
/// </summary>
public sealed class SqliteScratch : ScratchSpace
{
    private readonly string _folder;
    private readonly string _file;

    private SqliteScratch(string id, string folder) : base(id)
    {
        _folder = folder;
        _file = Path.Combine(folder, "ledger.db");
    }

    public static SqliteScratch Create(DatabaseTarget user, string id)
    {
        var ledgerFolder = Path.GetDirectoryName(user.SqliteFilePath!);
        if (string.IsNullOrEmpty(ledgerFolder) || !Directory.Exists(ledgerFolder))
            throw new AuditValidationException("database",
                $"the folder {ledgerFolder} does not exist; the selftest puts its scratch file beside the ledger's file, so that it tests the same disk");
        var folder = Path.Combine(ledgerFolder, "monitorconsole-selftest-" + id);
        Directory.CreateDirectory(folder);
        return new SqliteScratch(id, folder);
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string Database => new SqliteConnectionStringBuilder { DataSource = _file }.ConnectionString;

    public override string Location => $"scratch file {_file}";

    public override string DropHint => $"delete the folder {_folder}";

    public override string DisableGuardsSql =>
        "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_continue_head;";

    public override DbConnection NewConnection() =>
        new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _file, Pooling = false }.ConnectionString);

    protected override Task DropDatabaseAsync()
    {
        // Pooled connections keep the file (and its -wal, -shm) open; only idle ones are closed, which all are by now.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace MonitorConsole.Cli.Tests;

/// <summary>Runs the CLI in process against a database in a fresh temporary folder.</summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mc-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "audit.db");
    }

    public string Folder { get; }
    public string DatabasePath { get; }
    /// <summary>The SQLite file in the folder, unless <see cref="Database"/> names another database.</summary>
    public string DatabaseUrl => Database ?? $"sqlite:///{DatabasePath}";

    public string? Database { get; set; }

    public Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => RunWithInputAsync("", args);

    public async Task<(int Code, string Out, string Err)> RunWithInputAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--db", DatabaseUrl], stdout, stderr, new StringReader(stdin));
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Starts the built CLI as a separate process, as another writer on the same file would be.</summary>
    public Process StartProcess(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "monitorconsole.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--db");
        info.ArgumentList.Add(DatabaseUrl);
        return Process.Start(info)!;
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_continue_head; " + sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

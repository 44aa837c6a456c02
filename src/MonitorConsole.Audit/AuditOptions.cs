namespace MonitorConsole.Audit;

/// <summary>Ledger settings, bound from the "Audit" configuration section.</summary>
public sealed class AuditOptions
{
    /// <summary>
    /// Database: a seed-style URL (sqlite:///relative.db, sqlite:////absolute.db, postgresql://user:pass@host:5432/db)
    /// or an ADO.NET connection string. Default: null, meaning ConnectionStrings:Audit, then AUDIT_DB_URL, then
    /// <see cref="DefaultSqlitePath"/>.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>The SQLite file used when nothing else is configured. Default: data/audit.db (created on first run).</summary>
    public string DefaultSqlitePath { get; set; } = Path.Combine("data", "audit.db");

    /// <summary>Largest data or details JSON, in UTF-8 bytes. Default: 1 MiB.</summary>
    public int MaxJsonBytes { get; set; } = 1024 * 1024;

    /// <summary>Most entries one group commit writes in one transaction. Default: 2,000.</summary>
    public int MaxGroupCommitEntries { get; set; } = 2000;

    /// <summary>Most problems a verification lists; counts stay exact beyond it. Default: 10,000.</summary>
    public int MaxReportedProblems { get; set; } = 10_000;

    /// <summary>Seconds a command waits for a database lock held by another process. Default: 30.</summary>
    public int LockTimeoutSeconds { get; set; } = 30;

    /// <summary>Apply EF Core migrations on start-up. Default: true.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

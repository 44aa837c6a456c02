using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Tests.Support;

/// <summary>A ledger on a fresh SQLite file in a temporary folder, with a fake clock.</summary>
public sealed class LedgerFixture : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public LedgerFixture(Action<AuditOptions>? configure = null, TimeProvider? clock = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "mc-audit-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "audit.db");
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 30, 12, 0, 0, TimeSpan.Zero));
        Clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(1);
        _services = new ServiceCollection()
            .AddSingleton(clock ?? Clock)
            .AddAudit(o =>
            {
                o.Database = $"sqlite:///{DatabasePath}";
                o.Checkpoints.SigningKeyFile = Path.Combine(Folder, "keys", "signing.pem");
                o.Checkpoints.PublicKeysDirectory = Path.Combine(Folder, "keys", "trusted");
                configure?.Invoke(o);
            })
            .BuildServiceProvider();
    }

    public string Folder { get; }
    public string DatabasePath { get; }
    public string DatabaseUrl => $"sqlite:///{DatabasePath}";
    public FakeTimeProvider Clock { get; }

    public AuditWriter Writer => _services.GetRequiredService<AuditWriter>();
    public ChainVerifier Verifier => _services.GetRequiredService<ChainVerifier>();
    public AuditQueries Queries => _services.GetRequiredService<AuditQueries>();
    public AuditExporter Exporter => _services.GetRequiredService<AuditExporter>();
    public RollbackService Rollback => _services.GetRequiredService<RollbackService>();
    public ErasureService Erasure => _services.GetRequiredService<ErasureService>();
    public AuditDatabase Database => _services.GetRequiredService<AuditDatabase>();
    public Checkpoints.CheckpointService Checkpoints => _services.GetRequiredService<Checkpoints.CheckpointService>();
    public Merkle.LedgerProofs Proofs => _services.GetRequiredService<Merkle.LedgerProofs>();
    public Search.SearchIndexer Search => _services.GetRequiredService<Search.SearchIndexer>();
    public global::MonitorConsole.Audit.Evidence.EvidencePacks Evidence => _services.GetRequiredService<global::MonitorConsole.Audit.Evidence.EvidencePacks>();
    public Checkpoints.CheckpointKeys Keys => _services.GetRequiredService<Checkpoints.CheckpointKeys>();

    public async Task<IReadOnlyList<AuditEntry>> SeedAsync(int count, Func<int, AuditEntryDraft>? make = null)
    {
        make ??= i => Drafts.Entry(i);
        return await Writer.AppendBatchAsync(Enumerable.Range(1, count).Select(make).ToList());
    }

    /// <summary>Runs SQL on the file directly, bypassing the app, as a tamperer would.</summary>
    public void Tamper(string sql, bool dropTriggers = true)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = (dropTriggers
            ? "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_continue_head; "
            : "") + sql;
        command.ExecuteNonQuery();
    }

    public async Task<long> CountRowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_entries";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>A clock that can be set backwards, as a badly synchronised host clock can.</summary>
public sealed class SettableClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Test data builders.</summary>
public static class Drafts
{
    public static AuditEntryDraft Entry(int i, string? actor = null, string? action = null) => new(
        Action: action ?? (i % 3 == 0 ? "DEPLOY" : "UPDATE"),
        Actor: actor ?? $"user_{i % 4}",
        ResourceType: "model",
        ResourceId: $"model_{i % 5}",
        Data: "{\"step\": " + i + ", \"config\": {\"threshold\": 0.85}}",
        Details: i % 2 == 0 ? """{"reason":"test"}""" : null);

    public static AuditEntryDraft Valid => Entry(1);
}

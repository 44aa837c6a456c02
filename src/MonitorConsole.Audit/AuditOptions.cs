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

    /// <summary>Signed checkpoints of the chain head.</summary>
    public CheckpointOptions Checkpoints { get; set; } = new();

    /// <summary>RFC 3161 time anchors on checkpoints from an outside time-stamping authority (TSA).</summary>
    public TimestampingOptions Timestamping { get; set; } = new();

    /// <summary>The search index over entries' data and details, kept off the append path.</summary>
    public SearchOptions Search { get; set; } = new();

    /// <summary>Evidence packs: entries, checkpoint, proofs and report in one zip an auditor checks offline.</summary>
    public EvidenceOptions Evidence { get; set; } = new();
}

/// <summary>Evidence packs, bound from "Audit:Evidence".</summary>
public sealed class EvidenceOptions
{
    /// <summary>
    /// Most entries one pack may hold. Each carries its own inclusion proof (about 1.5 KB at ten million entries), so
    /// a pack is for a trail: a person, a model, a period. The whole chain is better served by a chain export and a
    /// checkpoint. Default: 100,000.
    /// </summary>
    public int MaxEntries { get; set; } = 100_000;
}

/// <summary>
/// The search index, bound from "Audit:Search". An indexer reads new entries after they are committed and records
/// their words in a side table, so appends never wait for it; it may trail the chain by what was appended since its
/// last pass (at most about <see cref="Interval"/> plus the time to index the backlog).
/// </summary>
public sealed class SearchOptions
{
    /// <summary>How often the console's indexer looks for new entries; zero turns it off. Default: 2 seconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Entries indexed per transaction: short transactions leave room for appends between them. Default: 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Most distinct words recorded per entry; the rest of a very large entry is not searchable. Default: 256.</summary>
    public int MaxWordsPerEntry { get; set; } = 256;
}

/// <summary>Signed checkpoints, bound from "Audit:Checkpoints". Keys live in files, never in the database.</summary>
public sealed class CheckpointOptions
{
    /// <summary>
    /// The ECDSA P-256 signing key (PKCS#8 PEM). Created on first use, readable by its owner only, when missing.
    /// Rotate by replacing it; the old public key stays in <see cref="PublicKeysDirectory"/>. Default:
    /// checkpoint-signing-key.pem beside the SQLite file (data/ for a server database) — in production, point it at
    /// storage the database's administrators cannot write.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>
    /// Trusted public keys, one "&lt;key id&gt;.pem" each; every signing key's public key is added here. Default:
    /// checkpoint-keys/ beside the SQLite file (data/ for a server database).
    /// </summary>
    public string? PublicKeysDirectory { get; set; }

    /// <summary>Also write each checkpoint here as a JSON file (point it at write-once storage). Default: none.</summary>
    public string? Directory { get; set; }

    /// <summary>How often the console makes a checkpoint when the chain has grown; zero turns the schedule off. Default: 1 hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

}

/// <summary>
/// RFC 3161 timestamps on checkpoints, bound from "Audit:Timestamping". With a <see cref="Url"/>, each new checkpoint
/// asks the TSA for a token over the SHA-256 digest of its signed statement (docs/hash-chain.md); a TSA that fails
/// leaves the checkpoint stored unanchored with the reason, to be anchored later.
/// </summary>
public sealed class TimestampingOptions
{
    /// <summary>The TSA's URL (HTTP POST of application/timestamp-query). Default: empty, meaning no anchors are requested.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// PEM files holding the TSA's certificate or the CA that issued it; a token verifies only when its signer is one
    /// of these or chains to one (and carries the timeStamping extended key usage). Several certificates may share a
    /// file. Default: none, so tokens are reported as not checked.
    /// </summary>
    public List<string> TrustedCertificates { get; set; } = [];

    /// <summary>Send a random 64-bit nonce and require the TSA to echo it (no replayed responses). Default: true.</summary>
    public bool UseNonce { get; set; } = true;

    /// <summary>How long one request to the TSA may take before the checkpoint is stored unanchored. Default: 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How much earlier than the checkpoint's own time a token's genTime may be (clocks of the console and the TSA
    /// disagree a little); earlier than that is reported. Default: 5 minutes.
    /// </summary>
    public TimeSpan ClockTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The hash algorithm of the request: SHA-256, fixed (named here so the setting is documented).</summary>
    public static string HashAlgorithm => "SHA-256";
}

using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Storage;

namespace MonitorConsole.Audit.Operations;

/// <summary>What a backup wrote: the file, the chain it holds, and what its own verification found.</summary>
public sealed record BackupResult(
    string Path, long Entries, string? HeadHash, long Bytes, string Sha256, VerificationResult Verification);

/// <summary>
/// An online copy of a SQLite ledger, taken while appends carry on, checked before anyone relies on it:
/// <list type="number">
/// <item>SQLite's backup API copies the file's pages inside one read snapshot of the source, in which the chain head is
/// read too, so the head the copy must have is known exactly;</item>
/// <item>the copy is written under a temporary name in the target's folder and verified with the ledger's own verifier
/// (a page-exact copy verifies as the source did at that moment), and its head must be that head;</item>
/// <item>only then is it renamed into place, so a file with the target's name is always a whole, checked copy.</item>
/// </list>
/// Server databases are backed up with the server's tools (docs/operations.md).
/// </summary>
public sealed class LedgerBackup(AuditDatabase database, TimeProvider clock)
{
    public async Task<BackupResult> BackupAsync(string target, bool overwrite, CancellationToken ct = default)
    {
        CheckTarget(database.Target, target, overwrite);
        var output = Path.GetFullPath(target);
        var temporary = Path.Combine(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.partial");
        try
        {
            var head = await CopyAsync(temporary, ct);
            var verification = await VerifyCopyAsync(temporary, ct);
            if (verification.LastSequence != (head.Sequence == 0 ? null : head.Sequence)
                || (head.Sequence > 0 && verification.LastEntryHash != head.EntryHash))
                throw new AuditOperationException(
                    $"the copy's chain head (sequence {verification.LastSequence}, {verification.LastEntryHash}) is not the source's at the moment of the copy " +
                    $"(sequence {head.Sequence}, {head.EntryHash}); the copy was discarded");
            var (bytes, sha256) = await DigestAsync(temporary, ct);
            File.Move(temporary, output, overwrite);
            return new BackupResult(output, head.Sequence, head.Sequence == 0 ? null : head.EntryHash, bytes, sha256, verification);
        }
        finally
        {
            foreach (var leftover in new[] { temporary, temporary + "-wal", temporary + "-shm", temporary + "-journal" })
                if (File.Exists(leftover)) File.Delete(leftover);
        }
    }

    /// <summary>Refuses what cannot or may not be done, before anything is recorded or written.</summary>
    private static string ServerTool(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.MySql => "mysqldump --single-transaction --routines --triggers, or mariadb-backup",
        DatabaseProvider.SqlServer => "BACKUP DATABASE … WITH CHECKSUM",
        _ => "pg_dump -Fc",
    };

    public static void CheckTarget(DatabaseTarget source, string target, bool overwrite)
    {
        if (source.Provider != DatabaseProvider.Sqlite)
            throw new AuditOperationException(
                $"audit backup copies a SQLite ledger; this one is on {source.Provider}: back it up with the server's own tools " +
                $"({ServerTool(source.Provider)}, see docs/operations.md), then check a restored copy with `monitorconsole audit verify --db URL`");
        if (string.IsNullOrWhiteSpace(target)) throw new AuditValidationException("out", "name the backup file");
        var output = Path.GetFullPath(target);
        if (string.Equals(output, Path.GetFullPath(source.SqliteFilePath!), StringComparison.Ordinal))
            throw new AuditValidationException("out", "is the ledger itself; name another file");
        if (!Directory.Exists(Path.GetDirectoryName(output)))
            throw new AuditValidationException("out", $"the folder {Path.GetDirectoryName(output)} does not exist");
        if (Directory.Exists(output)) throw new AuditValidationException("out", $"{output} is a folder; name a file");
        if (File.Exists(output) && !overwrite)
            throw new AuditValidationException("out", $"{output} already exists; pass --force to replace it");
    }

    private async Task<ChainHead> CopyAsync(string temporary, CancellationToken ct)
    {
        await using var source = await database.OpenConnectionAsync(ct);
        // The head and the pages come from one read snapshot: appends by others carry on (WAL) but are not in the copy.
        await using var snapshot = await AuditDatabase.BeginReadTransactionAsync(source, ct);
        var head = await ChainRows.HeadAsync(source, snapshot, ct);
        await using var destination = new SqliteConnection($"Data Source={temporary};Pooling=False");
        await destination.OpenAsync(ct);
        ((SqliteConnection)source).BackupDatabase(destination);
        return head;
    }

    private async Task<VerificationResult> VerifyCopyAsync(string copy, CancellationToken ct)
    {
        // Its own connections, unpooled, so that nothing holds the file open when it is renamed; no migrations: the
        // copy is checked as it was taken.
        var options = new AuditOptions
        {
            Database = $"Data Source={copy};Pooling=False",
            MigrateOnStartup = false,
            LockTimeoutSeconds = database.Options.LockTimeoutSeconds,
            MaxReportedProblems = database.Options.MaxReportedProblems,
        };
        return await new ChainVerifier(new AuditDatabase(Options.Create(options)), clock).VerifyAsync(VerificationScope.WholeChain, null, ct);
    }

    private static async Task<(long Bytes, string Sha256)> DigestAsync(string path, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file, ct);
        return (file.Length, Convert.ToHexStringLower(hash));
    }
}

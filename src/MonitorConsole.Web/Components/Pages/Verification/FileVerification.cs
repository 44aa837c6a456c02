using System.Text;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Merkle;

namespace MonitorConsole.Web.Components.Pages.Verification;

/// <summary>What checking a received file found, for the verify-a-file page.</summary>
public sealed record FileReport(
    string FileName, string Kind, bool Valid, string Summary, IReadOnlyList<string> Lines, IReadOnlyList<ExportProblem> Problems,
    long? Entries);

/// <summary>
/// Checks a file an auditor received — a JSON or CSV export, or a proof file — from its stream, with no database and
/// nothing stored: exports are streamed through the offline export verifier (flat memory at any size); proof files are
/// small and read whole (at most <see cref="MaxProofBytes"/>).
/// </summary>
public static class FileVerification
{
    /// <summary>Largest file the page accepts. Default: 2 GiB (about 5 million entries in JSON).</summary>
    public const long MaxFileBytes = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest proof file read (they are a few KiB; a consistency proof over a huge chain stays far below).</summary>
    public const int MaxProofBytes = 4 * 1024 * 1024;

    private const int SniffBytes = 4096;

    public static async Task<FileReport> CheckAsync(Stream upload, string fileName, CancellationToken ct = default)
    {
        var head = new byte[SniffBytes];
        var length = 0;
        while (length < head.Length && await upload.ReadAsync(head.AsMemory(length), ct) is var n and > 0) length += n;
        var text = Encoding.UTF8.GetString(head, 0, length).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var stream = new PrefixedStream(head, length, upload);
        try
        {
            if (text.StartsWith('{') && (text.Contains(ProofFiles.InclusionFormat, StringComparison.Ordinal) || text.Contains(ProofFiles.ConsistencyFormat, StringComparison.Ordinal)))
                return await ProofAsync(stream, fileName, ct);
            var export = text.StartsWith('{')
                ? await ExportVerifier.VerifyJsonAsync(stream, ct: ct)
                : await ExportVerifier.VerifyCsvAsync(stream, ct: ct);
            var lines = export.Note is null ? new List<string>() : [export.Note];
            return new FileReport(fileName, $"{export.Format.ToUpperInvariant()} export", export.Result.Valid && export.TamperingCount == 0,
                export.Summary, lines, export.Problems, export.TotalEntries);
        }
        catch (Exception ex) when (ex is AuditOperationException or AuditValidationException or System.Text.Json.JsonException
                                       or CsvHelper.CsvFormatException or CsvHelper.CsvValidationException or FormatException or InvalidDataException)
        {
            return new FileReport(fileName, "unreadable", false,
                $"This file could not be read as an audit export or a proof file: {ex.Message}", [], [], null);
        }
    }

    private static async Task<FileReport> ProofAsync(Stream stream, string fileName, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxProofBytes + 1];
        var read = 0;
        while (read < buffer.Length && await reader.ReadAsync(buffer.AsMemory(read), ct) is var n and > 0) read += n;
        if (read > MaxProofBytes) throw new AuditValidationException("file", $"is larger than a proof file can be ({MaxProofBytes / 1024 / 1024} MiB)");
        var check = ProofFiles.Verify(new string(buffer, 0, read));
        var summary = check.Valid
            ? "The proof holds." + (check.KeyTrusted ? "" : " It was checked with the key inside the file: compare its key id with the one the ledger's owner published.")
            : "The proof does NOT hold: the entry or the checkpoint in this file is not what was signed.";
        return new FileReport(fileName, "proof file", check.Valid, summary, check.Lines, [], null);
    }
}

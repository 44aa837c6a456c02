using System.IO.Compression;

namespace MonitorConsole.Audit.Evidence;

/// <summary>The files of an evidence pack, by their names inside the zip (docs/hash-chain.md, "Evidence packs").</summary>
public static class EvidencePackFiles
{
    public const string Format = "monitorconsole.evidence-pack.v1";

    public const string Entries = "entries.json";
    public const string Checkpoint = "checkpoint.json";
    public const string Proofs = "inclusion-proofs.jsonl";
    public const string Statement = "checkpoint/statement.txt";
    public const string Signature = "checkpoint/signature.der";
    public const string PublicKey = "checkpoint/public-key.pem";
    public const string Token = "checkpoint/timestamp.tst";
    public const string Manifest = "manifest.json";
    public const string ReportHtml = "report.html";
    public const string ReportPdf = "report.pdf";
    public const string Guide = "VERIFY.md";
    public const string Sums = "SHA256SUMS";

    /// <summary>What each file is for, as the report's file table says it.</summary>
    public static string PurposeOf(string name) => name switch
    {
        Entries => "the entries in scope, as a monitorconsole.audit.v1 JSON export",
        Checkpoint => "the signed checkpoint every proof leads to, with its public key and timestamp token",
        Proofs => "one Merkle inclusion proof per entry, one JSON object per line",
        Statement => "the exact bytes the checkpoint key signed and the TSA timestamped",
        Signature => "the checkpoint's signature in DER, for openssl dgst -verify",
        PublicKey => "the checkpoint's public key (PEM)",
        Token => "the RFC 3161 timestamp token (DER), for openssl ts -verify",
        Manifest => "what the pack holds, who made it and when (machine-readable)",
        ReportHtml => "this report",
        ReportPdf => "this report as PDF",
        Guide => "how to check the pack, with openssl and sha256sum or monitorconsole",
        _ => "",
    };
}

/// <summary>Where an evidence pack's files are read from: the zip an auditor holds, or the folder a pack is made in.</summary>
public interface IEvidenceSource
{
    IReadOnlyCollection<string> Names { get; }

    /// <summary>A new stream over the file; the caller disposes it. Several may be open at once.</summary>
    Stream Open(string name);
}

/// <summary>
/// A pack as a zip file. Each opened file gets its own handle on the zip, so two can be read side by side. A zip that
/// names a file twice is refused: two readers of it could see two different packs.
/// </summary>
public sealed class ZipEvidenceSource : IEvidenceSource
{
    private readonly string _path;

    public ZipEvidenceSource(string path)
    {
        _path = path;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/')) continue;
                if (!seen.Add(entry.FullName))
                    throw new AuditValidationException("pack", $"names '{entry.FullName}' twice; a pack that holds two versions of a file is not read");
                names.Add(entry.FullName);
            }
            Names = names;
        }
        catch (InvalidDataException ex)
        {
            throw new AuditValidationException("pack", $"is not a zip file ({ex.Message})");
        }
    }

    public IReadOnlyCollection<string> Names { get; }

    public Stream Open(string name)
    {
        var zip = ZipFile.OpenRead(_path);
        try
        {
            var entry = zip.GetEntry(name) ?? throw new AuditValidationException("pack", $"has no {name}");
            return new OwningStream(entry.Open(), zip);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>An entry's stream that closes its zip handle with it.</summary>
    private sealed class OwningStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>A pack's files in a folder (while it is made, before they are zipped).</summary>
public sealed class DirectoryEvidenceSource(string root) : IEvidenceSource
{
    public IReadOnlyCollection<string> Names =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    public Stream Open(string name)
    {
        var path = Path.Combine(root, name);
        return File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true)
            : throw new AuditValidationException("pack", $"has no {name}");
    }
}

using System.Security.Cryptography;

namespace MonitorConsole.Audit.Export;

/// <summary>
/// Passes writes through to another stream and keeps the count and SHA-256 of the bytes that stream accepted, so what
/// the ledger records about a download is what was written to it, not a second rendering of the data. A write the
/// destination refuses is neither counted nor hashed. Disposing it leaves the destination open.
/// </summary>
public sealed class HashingWriteStream(Stream destination) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Bytes the destination has accepted so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The lowercase hex SHA-256 of the bytes written so far (what <c>sha256sum</c> prints for them).</summary>
    public string Sha256Hex() => Convert.ToHexStringLower(_sha256.GetCurrentHash());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    // Synchronous writes go through unchanged, so a destination that refuses them (Kestrel's response body) still does.
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        destination.Write(buffer);
        Count(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await destination.WriteAsync(buffer, cancellationToken);
        Count(buffer.Span);
    }

    public override void Flush() => destination.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => destination.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void Count(ReadOnlySpan<byte> written)
    {
        _sha256.AppendData(written);
        BytesWritten += written.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha256.Dispose();
        base.Dispose(disposing);
    }
}

using System.Security.Cryptography;
using System.Text;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests;

/// <summary>Exports as a server streams them: only asynchronous writes, counted and hashed as written, CSV with a BOM.</summary>
public sealed class ExportStreamingTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    [Theory]
    [InlineData(ExportFormat.Csv)]
    [InlineData(ExportFormat.Json)]
    public async Task Export_ToAStreamThatRefusesSynchronousWrites_IsWhole_LikeAServerResponse(ExportFormat format)
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(6000, i => new AuditEntryDraft(i % 3 == 0 ? "=SUM(A1)" : "UPDATE", $"user_{i % 9}", "model", $"m{i}",
            $$"""{"i":{{i}},"pad":"{{new string('x', 200)}}"}"""));
        var path = Path.Combine(ledger.Folder, "export." + format.ToString().ToLowerInvariant());
        var tally = new ExportTally();

        await using (var file = File.Create(path))
        await using (var asyncOnly = new AsyncOnlyStream(file))
            await ledger.Exporter.ExportAsync(asyncOnly, format, null, tally);

        Assert.True(new FileInfo(path).Length > 1_000_000, "more output than any writer buffers");
        var verification = await ExportVerifier.VerifyFileAsync(path);
        Assert.True(verification.Complete, verification.Summary);
        Assert.Equal((6000L, 1L, 6000L), (tally.EntryCount, tally.FirstSequence!.Value, tally.LastSequence!.Value));
        Assert.Equal(verification.LastEntryHash, tally.LastEntryHash);
    }

    [Fact]
    public async Task CsvExport_StartsWithAUtf8ByteOrderMark_AndJsonDoesNot()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(2);

        var csv = await RawExportAsync(ledger, ExportFormat.Csv);
        var json = await RawExportAsync(ledger, ExportFormat.Json);

        Assert.Equal(Bom, csv[..3]);
        Assert.StartsWith("sequence,entry_id,", Encoding.UTF8.GetString(csv.AsSpan(3)));
        Assert.Equal((byte)'{', json[0]);
    }

    [Fact]
    public async Task CsvExport_WithItsByteOrderMarkAndEscapedFormulas_VerifiesOffline_AsAFileAndAsAStream()
    {
        await using var ledger = new LedgerFixture();
        await ledger.Writer.AppendAsync(new AuditEntryDraft("=HYPERLINK(\"http://x\")", "+alice", "@model", "-1", """{"note":"ü, \"q\"\nline"}"""));
        await ledger.Writer.AppendAsync(new AuditEntryDraft("'quoted", "bob", "model"));
        var csv = await RawExportAsync(ledger, ExportFormat.Csv);
        Assert.Contains(",'+alice,'@model,'-1,", Encoding.UTF8.GetString(csv));
        var path = Path.Combine(ledger.Folder, "bom.csv");
        await File.WriteAllBytesAsync(path, csv);

        var fromFile = await ExportVerifier.VerifyFileAsync(path);
        using var stream = new MemoryStream(csv);
        var fromStream = await ExportVerifier.VerifyCsvAsync(stream);

        Assert.True(fromFile.Complete, fromFile.Summary);
        Assert.Equal("csv", fromFile.Format);
        Assert.True(fromStream.Complete, fromStream.Summary);
        Assert.Equal(2, fromStream.TotalEntries);
    }

    [Fact]
    public async Task HashingWriteStream_CountsAndHashesExactlyTheBytesItPassedOn()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(500);
        using var destination = new MemoryStream();

        await using var counted = new HashingWriteStream(destination);
        await ledger.Exporter.ExportAsync(counted, ExportFormat.Json, TrailFilter.ForActor("user_1"));

        Assert.Equal(destination.Length, counted.BytesWritten);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(destination.ToArray())), counted.Sha256Hex());
    }

    [Fact]
    public async Task HashingWriteStream_DoesNotCountAWriteTheDestinationRefused()
    {
        await using var counted = new HashingWriteStream(new AsyncOnlyStream(Stream.Null));
        await counted.WriteAsync("abc"u8.ToArray());

        Assert.Throws<InvalidOperationException>(() => counted.Write("def"u8));

        Assert.Equal(3, counted.BytesWritten);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("abc"u8)), counted.Sha256Hex());
    }

    [Theory]
    [InlineData(LedgerVocabulary.LedgerExportDeliveredAction)]
    [InlineData(LedgerVocabulary.LedgerExportInterruptedAction)]
    [InlineData(LedgerVocabulary.RunsExportDeliveredAction)]
    [InlineData(LedgerVocabulary.RunsExportInterruptedAction)]
    public async Task ExportCompletionActions_AreReserved_SoNoCallerCanForgeADelivery(string action)
    {
        await using var ledger = new LedgerFixture();

        var refused = await Assert.ThrowsAsync<AuditValidationException>(() =>
            ledger.Writer.AppendAsync(new AuditEntryDraft(action, "mallory", LedgerVocabulary.LedgerResourceType, null, """{"sha256":"00"}""")));
        var written = await ledger.Writer.AppendReservedAsync(new AuditEntryDraft(action, "olivia", LedgerVocabulary.LedgerResourceType, null, "{}"));

        Assert.Equal("action", refused.Field);
        Assert.Equal(1, written.Sequence);
        Assert.True((await ledger.Verifier.VerifyAsync()).Valid);
    }

    [Fact]
    public async Task AppendReserved_RefusesARollback_WhichOnlyTheRollbackWrites()
    {
        await using var ledger = new LedgerFixture();
        await ledger.SeedAsync(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ledger.Writer.AppendReservedAsync(new AuditEntryDraft(LedgerVocabulary.RollbackAction, "root", LedgerVocabulary.LedgerResourceType)));

        Assert.Equal(1, await ledger.CountRowsAsync());
    }

    private static async Task<byte[]> RawExportAsync(LedgerFixture ledger, ExportFormat format)
    {
        using var buffer = new MemoryStream();
        await ledger.Exporter.ExportAsync(buffer, format);
        return buffer.ToArray();
    }

    /// <summary>A destination that refuses synchronous writes and flushes, as Kestrel's response body does.</summary>
    private sealed class AsyncOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => throw Refused();
        public override void Write(byte[] buffer, int offset, int count) => throw Refused();
        public override void Write(ReadOnlySpan<byte> buffer) => throw Refused();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        private static InvalidOperationException Refused() => new("Synchronous operations are disallowed (as in Kestrel).");
    }
}

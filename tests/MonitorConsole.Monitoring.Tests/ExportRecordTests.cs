using System.Security.Cryptography;
using System.Text.Json;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>What the ledger says about an export after it: delivered with the file's hash, or interrupted, never both.</summary>
public sealed class ExportRecordTests
{
    [Fact]
    public async Task DeliveredExport_IsRecordedWithTheBytesAndSha256OfTheOutput_AndNamesItsExportRecord()
    {
        await using var f = new MonitoringFixture();
        await SeedAsync(f, 300);
        using var output = new MemoryStream();

        var count = await f.Ledger.ExportAsync(Callers.Auditor("olivia"), output, ExportFormat.Csv, null);

        var exported = await SingleAsync(f, ActionLog.LedgerExported);
        var delivered = await SingleAsync(f, LedgerVocabulary.LedgerExportDeliveredAction);
        var data = Data(delivered);
        Assert.Equal(("olivia", exported.Sequence + 1), (delivered.Actor, delivered.Sequence));
        Assert.Equal(exported.EntryId, data.GetProperty("export_entry_id").GetString());
        Assert.Equal(exported.Sequence, data.GetProperty("export_sequence").GetInt64());
        Assert.Equal(output.Length, data.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(output.ToArray())), data.GetProperty("sha256").GetString());
        Assert.Equal((count, 1L, exported.Sequence), (data.GetProperty("entry_count").GetInt64(),
            data.GetProperty("first_sequence").GetInt64(), data.GetProperty("last_sequence").GetInt64()));
        Assert.Equal(exported.EntryHash, data.GetProperty("last_entry_hash").GetString());
        Assert.Empty((await f.Audit.GetTrailAsync(new TrailFilter { Action = LedgerVocabulary.LedgerExportInterruptedAction })).Entries);
    }

    [Fact]
    public async Task ExportWhoseOutputFailsMidway_IsRecordedInterrupted_WithTheBytesWrittenUntilThen_AndNotDelivered()
    {
        await using var f = new MonitoringFixture();
        await SeedAsync(f, 3000);
        using var accepted = new MemoryStream();
        var output = new FailingStream(accepted, failAfterBytes: 200_000);

        await Assert.ThrowsAsync<IOException>(() => f.Ledger.ExportAsync(Callers.Auditor("olivia"), output, ExportFormat.Json, null));

        var data = Data(await SingleAsync(f, LedgerVocabulary.LedgerExportInterruptedAction));
        Assert.Equal(ExportDelivery.Failed, data.GetProperty("reason").GetString());
        Assert.Contains("disk full", data.GetProperty("detail").GetString());
        Assert.Equal(accepted.Length, data.GetProperty("bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(accepted.ToArray())), data.GetProperty("sha256").GetString());
        Assert.InRange(data.GetProperty("entries_written").GetInt64(), 0, 2999);
        Assert.Empty((await f.Audit.GetTrailAsync(new TrailFilter { Action = LedgerVocabulary.LedgerExportDeliveredAction })).Entries);
    }

    [Fact]
    public async Task ExportCancelledMidway_AsWhenTheClientHangsUp_IsRecordedAborted()
    {
        await using var f = new MonitoringFixture();
        await SeedAsync(f, 3000);
        using var cancel = new CancellationTokenSource();
        var output = new FailingStream(Stream.Null, failAfterBytes: long.MaxValue, afterFirstWrite: cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            f.Ledger.ExportAsync(Callers.Auditor(), output, ExportFormat.Csv, TrailFilter.ForActor("svc"), cancel.Token));

        var data = Data(await SingleAsync(f, LedgerVocabulary.LedgerExportInterruptedAction));
        Assert.Equal((ExportDelivery.Aborted, "trail"), (data.GetProperty("reason").GetString(), data.GetProperty("scope").GetString()));
        Assert.True(data.GetProperty("bytes").GetInt64() > 0);
        Assert.Empty((await f.Audit.GetTrailAsync(new TrailFilter { Action = LedgerVocabulary.LedgerExportDeliveredAction })).Entries);
    }

    [Fact]
    public async Task RunHistoryExport_IsRecordedDelivered_WithTheSha256OfTheOutput_OrInterrupted()
    {
        await using var f = new MonitoringFixture();
        using var output = new MemoryStream();

        await f.RunExporter.ExportAsync(Callers.Auditor(), output, csv: true, modelId: "m1");
        await Assert.ThrowsAsync<IOException>(() =>
            f.RunExporter.ExportAsync(Callers.Auditor(), new FailingStream(Stream.Null, 0), csv: false, modelId: null));

        var delivered = await SingleAsync(f, LedgerVocabulary.RunsExportDeliveredAction);
        Assert.Equal(("drift_runs", "m1"), (delivered.ResourceType, delivered.ResourceId));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(output.ToArray())), Data(delivered).GetProperty("sha256").GetString());
        Assert.Equal([0xEF, 0xBB, 0xBF], output.ToArray()[..3]);
        var interrupted = Data(await SingleAsync(f, LedgerVocabulary.RunsExportInterruptedAction));
        Assert.Equal((ExportDelivery.Failed, 0L), (interrupted.GetProperty("reason").GetString(), interrupted.GetProperty("bytes").GetInt64()));
    }

    private static async Task SeedAsync(MonitoringFixture f, int count) =>
        await f.Ledger.AppendBatchAsync(Caller.System("svc"), Enumerable.Range(0, count)
            .Select(i => new AuditEntryDraft("UPDATE", "svc", "model", $"m{i}", $$"""{"i":{{i}},"pad":"{{new string('p', 100)}}"}""")).ToList());

    private static async Task<AuditEntry> SingleAsync(MonitoringFixture f, string action) =>
        Assert.Single((await f.Audit.GetTrailAsync(new TrailFilter { Action = action })).Entries).Entry;

    private static JsonElement Data(AuditEntry entry) => JsonDocument.Parse(entry.Data).RootElement.Clone();

    /// <summary>Accepts writes until it has taken <c>failAfterBytes</c>, then fails as a full disk or a dropped socket would.</summary>
    private sealed class FailingStream(Stream inner, long failAfterBytes, Action? afterFirstWrite = null) : Stream
    {
        private long _taken;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => throw new InvalidOperationException("synchronous flush");
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous write");

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_taken + buffer.Length > failAfterBytes) throw new IOException("disk full");
            await inner.WriteAsync(buffer, cancellationToken);
            _taken += buffer.Length;
            afterFirstWrite?.Invoke();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

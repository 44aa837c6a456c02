using MonitorConsole.Audit.Export;

namespace MonitorConsole.Access;

/// <summary>
/// Streams an export through a <see cref="HashingWriteStream"/> and says how it ended, so the ledger records a delivery
/// only when every byte was written and flushed while the client was still there, and records anything else as an
/// interruption with the bytes written until then.
/// </summary>
public static class ExportDelivery
{
    /// <summary>The reason of an interruption caused by cancellation: for a download, the client went away.</summary>
    public const string Aborted = "aborted";

    /// <summary>The reason of an interruption caused by an error while writing.</summary>
    public const string Failed = "failed";

    /// <summary>
    /// Runs <paramref name="write"/> against the counting stream, flushes, and calls <paramref name="delivered"/> or
    /// <paramref name="interrupted"/>; the recording callbacks must not depend on <paramref name="ct"/>, which may be
    /// the very thing that stopped the export. The export's own exception is rethrown after the interruption is recorded.
    /// </summary>
    public static async Task DeliverAsync(
        Stream output,
        Func<Stream, Task> write,
        Func<HashingWriteStream, Task> delivered,
        Func<HashingWriteStream, Interruption, Task> interrupted,
        CancellationToken ct)
    {
        await using var counted = new HashingWriteStream(output);
        try
        {
            await write(counted);
            await counted.FlushAsync(ct);
            // A server may accept writes for a client that has gone: only a token still uncancelled after the last
            // flush means the client was there to take the last byte.
            ct.ThrowIfCancellationRequested();
        }
        catch (Exception ex)
        {
            try
            {
                await interrupted(counted, Interruption.From(ex, ct));
            }
            catch (Exception recording)
            {
                // Often the same broken database that stopped the export: the export's own error is the one to see.
                ex.Data["interruption_not_recorded"] = recording.Message;
            }
            throw;
        }
        await delivered(counted);
    }

    /// <summary>Why an export stopped: <see cref="Aborted"/> or <see cref="Failed"/>, and a sentence for people.</summary>
    public sealed record Interruption(string Reason, string Detail)
    {
        public static Interruption From(Exception ex, CancellationToken ct) =>
            ct.IsCancellationRequested || ex is OperationCanceledException
                ? new(Aborted, "the download was cancelled before its end: the client disconnected or the request was aborted")
                : new(Failed, $"the export failed while writing: {ex.GetType().Name}: {ex.Message}");
    }
}

using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Access;

/// <summary>
/// The ledger's operations as the console and the API offer them: each checks the caller's permission, and
/// verifications, exports and rollbacks leave an entry naming who ran them.
/// </summary>
public sealed class LedgerOperations(
    AuditWriter writer, ChainVerifier verifier, AuditExporter exporter, RollbackService rollback, ErasureService erasure, ActionLog log,
    MonitorConsole.Audit.Operations.LedgerMetrics metrics, EvidencePacks evidence)
{
    public async Task<AuditEntry> AppendAsync(Caller caller, AuditEntryDraft draft, CancellationToken ct = default)
    {
        caller.Require(Permission.AppendAudit);
        return await writer.AppendAsync(draft, ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> AppendBatchAsync(Caller caller, IReadOnlyList<AuditEntryDraft> drafts, CancellationToken ct = default)
    {
        caller.Require(Permission.AppendAudit);
        return await writer.AppendBatchAsync(drafts, ct);
    }

    /// <summary>
    /// Verifies, then records that it did and what it found. A scope that does not make sense, and a cancelled
    /// verification, record nothing.
    /// </summary>
    public async Task<VerificationResult> VerifyAsync(
        Caller caller, VerificationScope scope, IProgress<VerificationProgress>? progress, CancellationToken ct = default)
    {
        caller.Require(Permission.VerifyLedger);
        UtcTime.CheckRange(scope.From, scope.To);
        var result = await verifier.VerifyAsync(scope, progress, ct);
        metrics.Verified(result, scope);
        await log.RecordAsync(ActionLog.LedgerVerified, caller.Actor, LedgerVocabulary.LedgerResourceType, null, new
        {
            valid = result.Valid,
            total_entries = result.TotalEntries,
            verified_entries = result.VerifiedEntries,
            last_sequence = result.LastSequence,
            invalid_entries = result.InvalidEntryCount,
            erased_entries = result.ErasedCount,
            chain_breaks = result.ChainBreakCount,
            from = scope.From is { } f ? HashSpec.FormatTimestamp(f) : null,
            to = scope.To is { } t ? HashSpec.FormatTimestamp(t) : null,
        }, CancellationToken.None);
        return result;
    }

    /// <summary>
    /// Checks the request, records the export (LEDGER_EXPORTED), then streams it; a whole-chain export therefore contains
    /// its own record, and a refused request records nothing. When the stream has ended the ledger records how:
    /// LEDGER_EXPORT_DELIVERED with the bytes written, their SHA-256 and the entries the file holds, or
    /// LEDGER_EXPORT_INTERRUPTED with what was written before it stopped and why. Both name the LEDGER_EXPORTED entry.
    /// A filter that selects every entry, rolled-back ones included, is the whole chain and is recorded as such.
    /// </summary>
    /// <returns>How many entries the export holds.</returns>
    public async Task<long> ExportAsync(Caller caller, Stream output, ExportFormat format, TrailFilter? filter, CancellationToken ct = default)
    {
        caller.Require(Permission.ExportLedger);
        if (!Enum.IsDefined(format)) throw new AuditValidationException("format", "must be json or csv");
        if (filter is { IsWholeChain: true }) filter = null;
        UtcTime.CheckRange(filter?.From, filter?.To);
        var formatName = format.ToString().ToLowerInvariant();
        var scope = filter is null ? AuditExporter.ChainScope : AuditExporter.TrailScope;
        var started = await log.RecordAsync(ActionLog.LedgerExported, caller.Actor, LedgerVocabulary.LedgerResourceType, null, new
        {
            format = formatName,
            scope,
            filter = FilterRecord(filter),
        }, ct);
        var tally = new ExportTally();
        await ExportDelivery.DeliverAsync(output,
            stream => exporter.ExportAsync(stream, format, filter, tally, ct),
            counted => log.RecordAsync(LedgerVocabulary.LedgerExportDeliveredAction, caller.Actor, LedgerVocabulary.LedgerResourceType, null, new
            {
                export_entry_id = started.EntryId,
                export_sequence = started.Sequence,
                format = formatName,
                scope,
                entry_count = tally.EntryCount,
                first_sequence = tally.FirstSequence,
                last_sequence = tally.LastSequence,
                last_entry_hash = tally.LastEntryHash,
                bytes = counted.BytesWritten,
                sha256 = counted.Sha256Hex(),
            }, CancellationToken.None),
            (counted, why) => log.RecordAsync(LedgerVocabulary.LedgerExportInterruptedAction, caller.Actor, LedgerVocabulary.LedgerResourceType, null, new
            {
                export_entry_id = started.EntryId,
                export_sequence = started.Sequence,
                format = formatName,
                scope,
                entries_written = tally.EntryCount,
                first_sequence = tally.FirstSequence,
                last_sequence = tally.LastSequence,
                bytes = counted.BytesWritten,
                sha256 = counted.Sha256Hex(),
                reason = why.Reason,
                detail = why.Detail,
            }, CancellationToken.None),
            ct);
        return tally.EntryCount;
    }

    /// <summary>How many entries an evidence pack of the filter would hold; refuses a filter no pack can serve.</summary>
    public async Task<long> EvidenceScopeAsync(Caller caller, TrailFilter? filter, CancellationToken ct = default)
    {
        RequireEvidence(caller);
        return (await evidence.ScopeAsync(filter is { IsWholeChain: true } ? null : filter, ct)).Entries;
    }

    /// <summary>
    /// Makes and checks an evidence pack, then records EVIDENCE_PACK_MADE with the zip's SHA-256 before the caller
    /// hands it over: a pack exists only once the ledger says so. The caller disposes the pack (its temporary files).
    /// It may make a checkpoint, so it needs the verify permission as well as the export one.
    /// </summary>
    public async Task<PreparedEvidencePack> MakeEvidencePackAsync(Caller caller, TrailFilter? filter, CancellationToken ct = default)
    {
        RequireEvidence(caller);
        if (filter is { IsWholeChain: true }) filter = null;
        var pack = await evidence.PrepareAsync(filter, caller.Actor, ct);
        try
        {
            var report = pack.Report;
            await log.RecordAsync(LedgerVocabulary.EvidencePackMadeAction, caller.Actor, LedgerVocabulary.LedgerResourceType, null, new
            {
                sha256 = pack.Sha256,
                bytes = pack.Bytes,
                scope = filter is null ? AuditExporter.ChainScope : AuditExporter.TrailScope,
                filter = FilterRecord(filter),
                through_sequence = report.Scope.ThroughSequence,
                entry_count = report.Counts.EntriesInScope,
                erasure_records_added = report.Counts.ErasureRecordsAdded,
                first_sequence = report.Counts.FirstSequence,
                last_sequence = report.Counts.LastSequence,
                checkpoint_tree_size = report.Checkpoint.TreeSize,
                checkpoint_timestamp = report.Checkpoint.Timestamp,
                checkpoint_made_for_pack = report.Checkpoint.MadeForThisPack,
                checks_failed = report.Checks.Where(c => c.Outcome == EvidenceCheckOutcome.Failed).Select(c => c.Title).ToArray(),
            }, CancellationToken.None);
        }
        catch
        {
            await pack.DisposeAsync();
            throw;
        }
        return pack;
    }

    private static void RequireEvidence(Caller caller)
    {
        caller.Require(Permission.ExportLedger);
        caller.Require(Permission.VerifyLedger);
    }

    /// <summary>A trail filter as the ledger records it with an export or a pack; null for the whole chain.</summary>
    private static object? FilterRecord(TrailFilter? filter) => filter is null ? null : new
    {
        actor = filter.Actor,
        action = filter.Action,
        resource_type = filter.ResourceType,
        resource_id = filter.ResourceId,
        from = filter.From is { } f ? HashSpec.FormatTimestamp(f) : null,
        to = filter.To is { } t ? HashSpec.FormatTimestamp(t) : null,
        q = filter.Text,
        include_rolled_back = filter.IncludeRolledBack,
    };

    public async Task<RollbackResult> RollbackAsync(Caller caller, string targetHash, string reason, CancellationToken ct = default)
    {
        caller.Require(Permission.RollbackLedger);
        return await rollback.RollbackAsync(targetHash, caller.Actor, reason, ct);
    }

    /// <summary>Erases the data text of one entry; the ERASURE entry it appends names the caller.</summary>
    public async Task<ErasureResult> EraseAsync(Caller caller, long sequence, string reason, CancellationToken ct = default)
    {
        caller.Require(Permission.EraseData);
        return await erasure.EraseAsync(sequence, caller.Actor, reason, ct);
    }
}

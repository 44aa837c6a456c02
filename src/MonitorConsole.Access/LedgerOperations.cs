using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Audit.Export;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Access;

/// <summary>
/// The ledger's operations as the console and the API offer them: each checks the caller's permission, and
/// verifications, exports and rollbacks leave an entry naming who ran them.
/// </summary>
public sealed class LedgerOperations(
    AuditWriter writer, ChainVerifier verifier, AuditExporter exporter, RollbackService rollback, ActionLog log,
    MonitorConsole.Audit.Operations.LedgerMetrics metrics)
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
            chain_breaks = result.ChainBreakCount,
            from = scope.From is { } f ? HashSpec.FormatTimestamp(f) : null,
            to = scope.To is { } t ? HashSpec.FormatTimestamp(t) : null,
        }, CancellationToken.None);
        return result;
    }

    /// <summary>
    /// Checks the request, records the export, then streams it; a whole-chain export therefore contains its own
    /// record, and a refused request records nothing. A filter that selects every entry, rolled-back ones included,
    /// is the whole chain and is recorded as such.
    /// </summary>
    public async Task<long> ExportAsync(Caller caller, Stream output, ExportFormat format, TrailFilter? filter, CancellationToken ct = default)
    {
        caller.Require(Permission.ExportLedger);
        if (!Enum.IsDefined(format)) throw new AuditValidationException("format", "must be json or csv");
        if (filter is { IsWholeChain: true }) filter = null;
        UtcTime.CheckRange(filter?.From, filter?.To);
        await log.RecordAsync(ActionLog.LedgerExported, caller.Actor, LedgerVocabulary.LedgerResourceType, null, new
        {
            format = format.ToString().ToLowerInvariant(),
            scope = filter is null ? "chain" : "trail",
            filter = filter is null ? null : new
            {
                actor = filter.Actor,
                action = filter.Action,
                resource_type = filter.ResourceType,
                resource_id = filter.ResourceId,
                from = filter.From is { } f ? HashSpec.FormatTimestamp(f) : null,
                to = filter.To is { } t ? HashSpec.FormatTimestamp(t) : null,
                include_rolled_back = filter.IncludeRolledBack,
            },
        }, ct);
        return await exporter.ExportAsync(output, format, filter, ct);
    }

    public async Task<RollbackResult> RollbackAsync(Caller caller, string targetHash, string reason, CancellationToken ct = default)
    {
        caller.Require(Permission.RollbackLedger);
        return await rollback.RollbackAsync(targetHash, caller.Actor, reason, ct);
    }
}

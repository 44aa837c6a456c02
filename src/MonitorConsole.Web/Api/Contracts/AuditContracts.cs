using System.ComponentModel;
using System.Text.Json;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Web.Api.Contracts;

// The wire names come from the API's snake_case policy (ConsoleSetup.Configure); property order is the order on the wire.

/// <summary>Documents the body POST /api/audit/entries reads by hand (AuditEntryDraft.FromJson), one object or an array of them.</summary>
[Description("An entry to append. The ledger adds its sequence, id, timestamp and hashes.")]
public sealed record NewAuditEntry(
    [property: Description("What happened, e.g. MODEL_DEPLOYED. Required.")] string Action,
    [property: Description("Who did it, as the calling service names them. Required.")] string Actor,
    [property: Description("The kind of thing acted on, e.g. model. Required.")] string ResourceType,
    [property: Description("Which one, if any.")] string? ResourceId = null,
    [property: Description("Any JSON value (at most Audit:MaxJsonBytes, 1 MiB by default); kept as the exact text that is hashed.")] JsonElement? Data = null,
    [property: Description("Any JSON value; covered by the entry hash, not by the data hash.")] JsonElement? Details = null);

[Description("An appended entry: where it sits in the chain and its hash.")]
public sealed record AppendedEntry(
    string EntryId,
    [property: Description("Position in the chain, from 1.")] long Sequence,
    [property: Description("SHA-256 over the entry's fields and the previous entry's hash, 64 lower-case hex digits.")] string EntryHash,
    [property: Description("UTC, as hashed: yyyy-MM-ddTHH:mm:ss.ffffffZ.")] string Timestamp)
{
    public static AppendedEntry From(AuditEntry e) => new(e.EntryId, e.Sequence, e.EntryHash, HashSpec.FormatTimestamp(e.Timestamp));
}

[Description("The entries of a batch append, in the order sent; all were written in one transaction.")]
public sealed record AppendedEntries(IReadOnlyList<AppendedEntry> Entries);

[Description("One ledger entry with every hashed field.")]
public sealed record AuditEntryResponse(
    long Sequence,
    string EntryId,
    [property: Description("UTC, as hashed: yyyy-MM-ddTHH:mm:ss.ffffffZ.")] string Timestamp,
    string Action,
    string Actor,
    string ResourceType,
    string? ResourceId,
    [property: Description("The entry's data as the exact JSON text that was hashed; null once erased (data_erased).")] string? Data,
    [property: Description("True when the data text was erased (personal data); data_hash, details and the hashes stay.")] bool DataErased,
    [property: Description("The entry's details as JSON text, if any.")] string? Details,
    string DataHash,
    string PreviousHash,
    string EntryHash,
    [property: Description("True when a later ROLLBACK entry rolled this one back (it stays in the chain).")] bool RolledBack)
{
    public static AuditEntryResponse From(AuditEntryView v) => new(v.Entry.Sequence, v.Entry.EntryId,
        HashSpec.FormatTimestamp(v.Entry.Timestamp), v.Entry.Action, v.Entry.Actor, v.Entry.ResourceType, v.Entry.ResourceId,
        v.Entry.Data.Length == 0 ? null : v.Entry.Data, v.Entry.Data.Length == 0, v.Entry.Details, v.Entry.DataHash,
        v.Entry.PreviousHash, v.Entry.EntryHash, v.RolledBack);
}

[Description("A page of the trail, newest first.")]
public sealed record AuditTrailPage(
    IReadOnlyList<AuditEntryResponse> Entries,
    [property: Description("Pass as cursor= for the next page; null on the last page.")] long? NextCursor,
    [property: Description("How many entries match the filters in all.")] long Total,
    [property: Description("Entries the q= word index has not read yet (they are found once it catches up).")] long SearchIndexBehind);

[Description("Values present in the ledger that start with what was typed.")]
public sealed record AuditSuggestions(IReadOnlyList<string> Values);

/// <summary>Documents the optional body of POST /api/audit/verify.</summary>
[Description("Verify only entries in this time range (UTC, ISO 8601); without a body the whole chain is verified.")]
public sealed record VerifyRange(string? From = null, string? To = null);

/// <summary>Documents the body of POST /api/audit/rollback.</summary>
[Description("Roll back every entry after the one with this hash.")]
public sealed record RollbackRequest(
    [property: Description("The entry_hash of the last entry that stays in effect.")] string ToHash,
    [property: Description("Why; recorded in the ROLLBACK entry.")] string Reason);

[Description("The rollback: how many entries it marked and the ROLLBACK entry it appended.")]
public sealed record RollbackResponse(long RolledBackCount, AppendedEntry RollbackEntry);

/// <summary>Documents the body of POST /api/audit/entries/{sequence}/erase.</summary>
[Description("Erase the entry's data text.")]
public sealed record ErasureRequest(
    [property: Description("Why; recorded in the ERASURE entry (at most 2,000 characters).")] string Reason);

[Description("The erasure: the entry whose data was erased and the ERASURE entry that records it.")]
public sealed record ErasureResponse(long ErasedSequence, string ErasedEntryHash, AppendedEntry ErasureEntry);

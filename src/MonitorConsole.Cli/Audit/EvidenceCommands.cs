using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Evidence;

namespace MonitorConsole.Cli.Audit;

/// <summary>`audit evidence` makes an evidence pack; `audit verify-evidence` checks one offline.</summary>
public static class EvidenceCommands
{
    public static IEnumerable<Command> Build(TextWriter stdout) => [Make(stdout), Verify(stdout)];

    private static Command Make(TextWriter stdout)
    {
        var trail = new TrailOptions();
        var output = new Option<FileInfo>("--out") { Required = true, Description = "Write the pack to this file (a zip)" };
        var tsaUrl = CheckpointCommands.TsaUrlOption();
        var certs = CheckpointCommands.TsaCertOption();
        var command = new Command("evidence",
            "Make an evidence pack of the whole chain or of a trail (the filter options): the entries, the signed checkpoint covering them, " +
            "an inclusion proof per entry, a report and VERIFY.md, in one zip an auditor checks offline; recorded in the ledger with its SHA-256. " +
            "Exit 1 when a check failed (the pack then documents it)")
        {
            output, tsaUrl, certs,
        };
        trail.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var filter = trail.AnySet(parse) || parse.GetValue(trail.IncludeRolledBack) ? trail.Filter(parse) : null;
            var file = parse.GetValue(output)!;
            await using var services = CliApp.Services(parse, CheckpointCommands.Timestamping(parse, tsaUrl, certs));
            await using var pack = await services.GetRequiredService<LedgerOperations>().MakeEvidencePackAsync(AccessCommands.Operator, filter, ct);
            // Written to a temporary name first, so a failed copy never leaves a half pack under the real name.
            var temporary = file.FullName + ".partial";
            try
            {
                await using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await pack.CopyToAsync(stream, ct);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }
            File.Move(temporary, file.FullName, overwrite: true);
            await stdout.WriteLineAsync(Describe(pack, file.FullName));
            return pack.Report.AllPassed ? CliApp.Ok : CliApp.TamperingFound;
        });
        return command;
    }

    private static string Describe(PreparedEvidencePack pack, string path)
    {
        var r = pack.Report;
        var c = r.Counts;
        var lines = new List<string>
        {
            $"evidence pack of {c.EntriesInScope} entries (sequences {c.FirstSequence} to {c.LastSequence}" +
            (c.ErasureRecordsAdded switch
            {
                0 => "",
                1 => ", with the ERASURE entry that records an erasure in scope",
                var n => $", with the {n} ERASURE entries that record erasures in scope",
            }) + $") written to {path}",
            $"sha256 {pack.Sha256} ({pack.Bytes} bytes), recorded in the ledger as EVIDENCE_PACK_MADE",
            $"checkpoint of {r.Checkpoint.TreeSize} entries, {r.Checkpoint.Timestamp}{(r.Checkpoint.MadeForThisPack ? ", made for this pack" : "")}; {r.Checkpoint.Anchor}",
        };
        lines.AddRange(r.Checks.Select(Line));
        if (pack.PdfNotMade is not null) lines.Add($"no report.pdf: {pack.PdfNotMade}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Line(EvidenceCheck check) => check.Outcome switch
    {
        EvidenceCheckOutcome.Passed => $"  ok           {check.Title}: {check.Detail}",
        EvidenceCheckOutcome.Failed => $"  FAILED       {check.Title}: {check.Detail}",
        _ => $"  not checked  {check.Title}: {check.Detail}",
    };

    private static Command Verify(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("PACK") { Description = "An evidence pack (the zip from `audit evidence` or the console)" };
        var key = new Option<FileInfo?>("--public-key") { Description = "The ledger's published checkpoint key (PEM); without it the pack's own key is used and the signer is not vouched for" };
        var certs = CheckpointCommands.TsaCertOption();
        var json = AuditCommands.JsonOption();
        var command = new Command("verify-evidence",
            "Check an evidence pack offline, with no database: its files, the checkpoint's signature and time anchor, every entry's hashes and " +
            "every inclusion proof; exit 0 when nothing failed and the signer is the --public-key given, 3 when nothing failed but the signer was not vouched for, 1 when something failed")
        {
            file, key, certs, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new IOException($"PACK: {path.FullName} does not exist");
            using var publicKey = parse.GetValue(key) is { } pem ? CheckpointCommands.LoadKey(pem) : null;
            var trusted = TsaCertificates.Load(CheckpointCommands.TrustedPaths(parse, certs), "--tsa-cert");
            EvidenceVerification result;
            try
            {
                result = await EvidenceVerifier.VerifyFileAsync(path.FullName, new EvidenceTrust(publicKey, trusted, new TimestampingOptions().ClockTolerance), ct);
            }
            finally
            {
                foreach (var certificate in trusted) certificate.Dispose();
            }
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(CliJson.Serialize(new
                {
                    valid = result.Valid, vouched = result.Vouched, zip_sha256 = result.ZipSha256, result.Entries, result.ErasedEntries, result.TreeSize, result.Checks,
                }));
            }
            else
            {
                await stdout.WriteLineAsync($"evidence pack of {result.Entries} entries against a checkpoint of {result.TreeSize}:");
                foreach (var check in result.Checks) await stdout.WriteLineAsync(Line(check));
                await stdout.WriteLineAsync(Line(new EvidenceCheck("Report and manifest", EvidenceCheckOutcome.NotChecked,
                    "report.html, report.pdf and manifest.json are the pack's own account; nothing above relies on them, and only the zip's SHA-256 vouches for them")));
                await stdout.WriteLineAsync($"sha256 of this zip: {result.ZipSha256} — it must be the sha256 of the ledger's EVIDENCE_PACK_MADE record of this pack");
                await stdout.WriteLineAsync(!result.Valid ? "INVALID"
                    : result.Vouched ? "valid: every check passed against the trusted key" + (result.Checks.Any(c => c.Outcome == EvidenceCheckOutcome.NotChecked) ? " (the checks marked 'not checked' are left to you)" : "")
                    : "SELF-CONSISTENT, NOT VOUCHED FOR: nothing failed, but without the ledger's published key (--public-key) anyone could have made this pack");
            }
            return !result.Valid ? CliApp.TamperingFound : result.Vouched ? CliApp.Ok : CliApp.ValidButNotVouched;
        });
        return command;
    }
}

using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Merkle;
using MonitorConsole.Audit.Queries;

namespace MonitorConsole.Cli.Audit;

/// <summary>`audit checkpoint`, `audit prove` and `audit verify-proof`: signed checkpoints and Merkle proofs.</summary>
public static class CheckpointCommands
{
    public static IEnumerable<Command> Build(TextWriter stdout) => [Checkpoint(stdout), Prove(stdout), VerifyProof(stdout), VerifyCheckpoint(stdout)];

    /// <summary>The TSA's URL for verbs that request tokens; AUDIT_TSA_URL when not given.</summary>
    public static Option<string?> TsaUrlOption() => new("--tsa-url")
    {
        Description = "RFC 3161 time-stamping authority to anchor checkpoints with (default: AUDIT_TSA_URL; none means no anchor)",
    };

    /// <summary>Trusted TSA certificates for verbs that check tokens; AUDIT_TSA_CERT (paths joined by the path separator) when not given.</summary>
    public static Option<FileInfo[]> TsaCertOption() => new("--tsa-cert")
    {
        Description = "PEM file of the trusted TSA certificate or its CA (repeatable; default: AUDIT_TSA_CERT)",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Applies --tsa-url/--tsa-cert (or their environment variables) to the ledger's options.</summary>
    public static Action<AuditOptions> Timestamping(ParseResult parse, Option<string?>? url, Option<FileInfo[]>? certs) => o =>
    {
        var t = o.Timestamping;
        t.Url = (url is null ? null : parse.GetValue(url)) ?? Environment.GetEnvironmentVariable("AUDIT_TSA_URL");
        t.TrustedCertificates = TrustedPaths(parse, certs);
    };

    internal static List<string> TrustedPaths(ParseResult parse, Option<FileInfo[]>? certs) =>
        certs is not null && parse.GetValue(certs) is { Length: > 0 } given
            ? [.. given.Select(f => f.FullName)]
            : [.. (Environment.GetEnvironmentVariable("AUDIT_TSA_CERT") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public static async Task<CheckpointCheck> CheckAsync(IServiceProvider services, FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) throw new IOException($"--checkpoint: {file.FullName} does not exist");
        var checkpoint = MonitorConsole.Audit.Checkpoints.Checkpoint.Parse(await File.ReadAllTextAsync(file.FullName, ct));
        return await services.GetRequiredService<CheckpointService>().CheckAsync(checkpoint, ct);
    }

    private static Command Checkpoint(TextWriter stdout)
    {
        var output = new Option<FileInfo?>("--out") { Description = "Also write the checkpoint to this file (keep it somewhere the database's administrators cannot write)" };
        var url = TsaUrlOption();
        var command = new Command("checkpoint", "Sign the chain head (size, newest entry hash, Merkle root, time) and store it; with a TSA, anchor it in time") { output, url };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse, Timestamping(parse, url, null));
            var checkpoints = services.GetRequiredService<CheckpointService>();
            var checkpoint = await checkpoints.CreateAsync(ct);
            if (parse.GetValue(output) is { } file) await File.WriteAllTextAsync(file.FullName, checkpoint.ToJson(), ct);
            var stored = await checkpoints.LatestRecordAsync(ct);
            var anchor = checkpoint.TimestampToken is null ? $"not anchored ({stored?.UnanchoredReason})" : $"anchored at {HashSpec.FormatTimestamp(stored!.AnchoredAt!.Value)}";
            await stdout.WriteLineAsync(parse.GetValue(output) is null ? checkpoint.ToJson()
                : $"checkpoint of {checkpoint.TreeSize} entries (id {stored?.Id}), root {checkpoint.MerkleRoot}, key {checkpoint.KeyId}; {anchor}");
            return CliApp.Ok;
        });
        command.Subcommands.Add(Anchor(stdout));
        command.Subcommands.Add(List(stdout));
        command.Subcommands.Add(Show(stdout));
        return command;
    }

    private static Command Anchor(TextWriter stdout)
    {
        var id = new Option<long?>("--id") { Description = "The stored checkpoint to anchor (default: every one without a token, oldest first)" };
        var url = TsaUrlOption();
        var command = new Command("anchor", "Ask the TSA for timestamp tokens for checkpoints stored without one; exit 2 when any still failed") { id, url };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse, Timestamping(parse, url, null));
            var attempts = await services.GetRequiredService<CheckpointService>().AnchorAsync(parse.GetValue(id), ct);
            if (attempts.Count == 0) await stdout.WriteLineAsync("every checkpoint is anchored already");
            foreach (var a in attempts)
                await stdout.WriteLineAsync($"checkpoint {a.Id} ({a.TreeSize} entries): {(a.Anchored ? a.Detail : $"NOT anchored: {a.Detail}")}");
            return attempts.All(a => a.Anchored) ? CliApp.Ok : CliApp.Failed;
        });
        return command;
    }

    private static Command List(TextWriter stdout)
    {
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 20 };
        var certs = TsaCertOption();
        var json = AuditCommands.JsonOption();
        var command = new Command("list", "The stored checkpoints, newest first, each with its time anchor checked") { limit, certs, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse, Timestamping(parse, null, certs));
            var checkpoints = services.GetRequiredService<CheckpointService>();
            var rows = (await checkpoints.ListAsync(parse.GetValue(limit), ct))
                .Select(r => (Record: r, Anchor: checkpoints.CheckAnchor(r.Checkpoint, r.UnanchoredReason))).ToList();
            if (parse.GetValue(json))
            {
                await stdout.WriteLineAsync(CliJson.Serialize(rows.Select(r => new
                {
                    id = r.Record.Id, tree_size = r.Record.Checkpoint.TreeSize, timestamp = r.Record.Checkpoint.Timestamp, anchor = r.Anchor,
                })));
                return CliApp.Ok;
            }
            if (rows.Count == 0) await stdout.WriteLineAsync("no checkpoint yet");
            foreach (var (record, anchor) in rows)
                await stdout.WriteLineAsync($"{record.Id}\t{record.Checkpoint.TreeSize} entries\tsigned {record.Checkpoint.Timestamp}\t{anchor.Summary}");
            return rows.Any(r => r.Anchor.IsFailure) ? CliApp.TamperingFound : CliApp.Ok;
        });
        return command;
    }

    private static Command Show(TextWriter stdout)
    {
        var id = new Option<long?>("--id") { Description = "The stored checkpoint (default: the newest)" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the checkpoint file here (default: standard output)" };
        var command = new Command("show", "A stored checkpoint as a file, with its timestamp token, for offline checking (`audit verify-checkpoint`)") { id, output };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var checkpoints = services.GetRequiredService<CheckpointService>();
            var record = parse.GetValue(id) is { } n
                ? await checkpoints.GetAsync(n, ct) ?? throw new AuditValidationException("id", $"no checkpoint has id {n}")
                : await checkpoints.LatestRecordAsync(ct) ?? throw new AuditValidationException("id", "there is no checkpoint yet");
            if (parse.GetValue(output) is { } file) await File.WriteAllTextAsync(file.FullName, record.Checkpoint.ToJson(), ct);
            else await stdout.WriteLineAsync(record.Checkpoint.ToJson());
            return CliApp.Ok;
        });
        return command;
    }

    private static Command VerifyCheckpoint(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A checkpoint file (`audit checkpoint --out`, `audit checkpoint show`, or the checkpoint directory)" };
        var certs = TsaCertOption();
        var key = new Option<FileInfo?>("--public-key") { Description = "The signer's public key (PEM); without it the file's own key is used and reported untrusted" };
        var require = new Option<bool>("--require-anchor") { Description = "Exit 1 unless the checkpoint carries a token that verifies against --tsa-cert" };
        var command = new Command("verify-checkpoint",
            "Check a checkpoint file offline, with no database: its signature and its RFC 3161 timestamp token; exit 1 when either fails")
        {
            file, certs, key, require,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new IOException($"FILE: {path.FullName} does not exist");
            var checkpoint = MonitorConsole.Audit.Checkpoints.Checkpoint.Parse(await File.ReadAllTextAsync(path.FullName, ct));
            using var publicKey = parse.GetValue(key) is { } pem ? LoadKey(pem) : null;
            var (signed, keyTrusted) = CheckpointService.VerifySignature(checkpoint, publicKey);
            var trusted = TsaCertificates.Load(TrustedPaths(parse, certs), "--tsa-cert");
            var anchor = AnchorVerifier.Verify(checkpoint, trusted, new TimestampingOptions().ClockTolerance);
            foreach (var certificate in trusted) certificate.Dispose();
            await stdout.WriteLineAsync($"checkpoint of {checkpoint.TreeSize} entries, signed {checkpoint.Timestamp} by key {checkpoint.KeyId}: signature " +
                (signed ? (keyTrusted ? "valid (trusted key)" : "valid (the file's own key — compare it with the published key id)") : "INVALID"));
            await stdout.WriteLineAsync($"time anchor: {anchor.Summary}");
            var valid = signed && !anchor.IsFailure && (!parse.GetValue(require) || anchor.Outcome == AnchorCheck.Anchored);
            await stdout.WriteLineAsync(valid ? "valid" : "INVALID");
            return valid ? CliApp.Ok : CliApp.TamperingFound;
        });
        return command;
    }

    private static Command Prove(TextWriter stdout)
    {
        var sequence = new Option<long?>("--sequence") { Description = "Prove that this entry is in the ledger" };
        var since = new Option<FileInfo?>("--consistency-from") { Description = "Prove that the ledger extends this earlier checkpoint file" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the proof here (default: standard output)" };
        var command = new Command("prove", "An inclusion proof (--sequence N) or a consistency proof (--consistency-from FILE), checkable offline") { sequence, since, output };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var checkpoints = services.GetRequiredService<CheckpointService>();
            var proofs = services.GetRequiredService<LedgerProofs>();
            string json;
            if (parse.GetValue(sequence) is { } n)
            {
                var entry = await services.GetRequiredService<AuditQueries>().GetBySequenceAsync(n, ct)
                    ?? throw new AuditValidationException("sequence", $"no entry has sequence {n}");
                // The newest checkpoint serves if it already covers the entry; otherwise a new one is made.
                var checkpoint = await checkpoints.LatestAsync(ct) is { } latest && latest.TreeSize >= n ? latest : await checkpoints.CreateAsync(ct);
                json = ProofFiles.Inclusion(entry.Entry, await proofs.InclusionAsync(n, checkpoint.TreeSize, ct), checkpoint);
            }
            else if (parse.GetValue(since) is { } file)
            {
                if (!file.Exists) throw new IOException($"--consistency-from: {file.FullName} does not exist");
                var older = MonitorConsole.Audit.Checkpoints.Checkpoint.Parse(await File.ReadAllTextAsync(file.FullName, ct));
                var newer = await checkpoints.CreateAsync(ct);
                json = ProofFiles.Consistency(await proofs.ConsistencyAsync(older.TreeSize, newer.TreeSize, ct), older, newer);
            }
            else
            {
                throw new AuditValidationException("sequence", "give --sequence N or --consistency-from FILE");
            }
            if (parse.GetValue(output) is { } target) await File.WriteAllTextAsync(target.FullName, json, ct);
            else await stdout.WriteLineAsync(json);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command VerifyProof(TextWriter stdout)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A proof file from `audit prove` or the API" };
        var key = new Option<FileInfo?>("--public-key") { Description = "The signer's public key (PEM); without it the proof's own key is used and reported untrusted" };
        var command = new Command("verify-proof", "Check a proof file offline, with no database; exit 1 when it does not hold") { file, key };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new IOException($"FILE: {path.FullName} does not exist");
            using var trusted = parse.GetValue(key) is { } pem ? LoadKey(pem) : null;
            var check = ProofFiles.Verify(await File.ReadAllTextAsync(path.FullName, ct), trusted);
            foreach (var line in check.Lines) await stdout.WriteLineAsync(line);
            await stdout.WriteLineAsync(check.Valid ? "valid" : "INVALID");
            return check.Valid ? CliApp.Ok : CliApp.TamperingFound;
        });
        return command;
    }

    internal static ECDsa LoadKey(FileInfo pem)
    {
        if (!pem.Exists) throw new IOException($"--public-key: {pem.FullName} does not exist");
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pem.FullName));
        return key;
    }
}

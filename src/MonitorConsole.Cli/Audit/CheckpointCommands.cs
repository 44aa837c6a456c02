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
    public static IEnumerable<Command> Build(TextWriter stdout) => [Checkpoint(stdout), Prove(stdout), VerifyProof(stdout)];

    public static async Task<CheckpointCheck> CheckAsync(IServiceProvider services, FileInfo file, CancellationToken ct)
    {
        if (!file.Exists) throw new IOException($"--checkpoint: {file.FullName} does not exist");
        var checkpoint = MonitorConsole.Audit.Checkpoints.Checkpoint.Parse(await File.ReadAllTextAsync(file.FullName, ct));
        return await services.GetRequiredService<CheckpointService>().CheckAsync(checkpoint, ct);
    }

    private static Command Checkpoint(TextWriter stdout)
    {
        var output = new Option<FileInfo?>("--out") { Description = "Also write the checkpoint to this file (keep it somewhere the database's administrators cannot write)" };
        var command = new Command("checkpoint", "Sign the chain head (size, newest entry hash, Merkle root, time) and store it") { output };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var checkpoint = await services.GetRequiredService<CheckpointService>().CreateAsync(ct);
            if (parse.GetValue(output) is { } file) await File.WriteAllTextAsync(file.FullName, checkpoint.ToJson(), ct);
            await stdout.WriteLineAsync(parse.GetValue(output) is null ? checkpoint.ToJson()
                : $"checkpoint of {checkpoint.TreeSize} entries, root {checkpoint.MerkleRoot}, key {checkpoint.KeyId}");
            return CliApp.Ok;
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

    private static ECDsa LoadKey(FileInfo pem)
    {
        if (!pem.Exists) throw new IOException($"--public-key: {pem.FullName} does not exist");
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pem.FullName));
        return key;
    }
}

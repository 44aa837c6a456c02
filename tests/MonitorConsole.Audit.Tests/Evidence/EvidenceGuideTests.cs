using System.Diagnostics;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Audit.Tests.Evidence;

/// <summary>
/// VERIFY.md's steps, run as an auditor would run them — bash, sha256sum, openssl and jq on the unzipped pack, with no
/// MonitorConsole — on an anchored pack with an erased entry: they prove what they say, and catch a forged entry.
/// </summary>
public sealed class EvidenceGuideTests : IAsyncLifetime
{
    private LocalTsa _tsa = null!;
    private LedgerFixture _ledger = null!;
    private string _folder = "";
    private string _caPem = "";

    public async ValueTask InitializeAsync()
    {
        _tsa = LocalTsa.Start();
        var certificates = Path.Combine(Path.GetTempPath(), "mc-evidence-ca", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(certificates);
        _ledger = AnchoredLedger.Create(_tsa, certificates);
        _caPem = Directory.GetFiles(certificates, "*.pem").Single();
        await _ledger.SeedAsync(25);
        await _ledger.Erasure.EraseAsync(4, "admin", "GDPR request 7");
        var (zip, pack) = await PackFiles.MakeAsync(_ledger, TrailFilter.ForActor("user_0"));
        await using (pack) Assert.True(pack.Report.AllPassed, string.Join("\n", pack.Report.Checks.Select(c => $"{c.Title}: {c.Detail}")));
        _folder = PackFiles.Unzip(zip);
    }

    public async ValueTask DisposeAsync()
    {
        await _ledger.DisposeAsync();
        await _tsa.DisposeAsync();
    }

    private static IEnumerable<long> Sequences(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, EvidencePackFiles.Entries)))!["entries"]!.AsArray().Select(e => (long)e!["sequence"]!);

    private async Task<(int Exit, string Output)> BashAsync(string script, string? folder = null)
    {
        await File.WriteAllTextAsync(Path.Combine(_ledger.Folder, "proof-functions.sh"), EvidenceGuide.ProofFunctions + "\n");
        var start = new ProcessStartInfo("bash", ["-c", $"source '{Path.Combine(_ledger.Folder, "proof-functions.sh")}'\n{script}"])
        {
            WorkingDirectory = folder ?? _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + errors);
    }

    [Fact]
    public async Task TheShellSteps_ProveEveryEntry_TheSignature_AndTheTimeAnchor()
    {
        var sequences = Sequences(_folder).ToList();
        Assert.Equal(4L, sequences[0]); // the erased entry, and the ERASURE entry that records it
        Assert.Contains(26L, sequences);

        var (exit, output) = await BashAsync($$"""
            set -e
            sha256sum -c SHA256SUMS
            openssl dgst -sha256 -verify checkpoint/public-key.pem -signature checkpoint/signature.der checkpoint/statement.txt
            openssl pkey -pubin -in checkpoint/public-key.pem -outform DER | sha256sum | cut -c1-16
            openssl ts -verify -token_in -in checkpoint/timestamp.tst -data checkpoint/statement.txt -CAfile '{{_caPem}}'
            for n in {{string.Join(' ', sequences)}}; do verify_inclusion $n; done
            jq -j --argjson n {{sequences[1]}} '.entries[] | select(.sequence == $n) | .data' entries.json | sha256sum | cut -c1-64
            jq -r '.entries[1].data_hash' entries.json
            jq -j --argjson n {{sequences[1]}} '.entries[] | select(.sequence == $n) | {action, actor, data_hash, details, entry_id, previous_hash, resource_id, resource_type, sequence, timestamp} | tojson' entries.json | sha256sum | cut -c1-64
            jq -r '.entries[1].entry_hash' entries.json
            """);

        Assert.True(exit == 0, output);
        Assert.Contains("Verified OK", output);
        Assert.Contains("Verification: OK", output);
        var keyId = Checkpoint(_folder)["key_id"]!.GetValue<string>();
        Assert.Contains(keyId + "\n", output);
        Assert.Equal(sequences.Count, output.Split('\n').Count(l => l.Contains(": proven (root ")));
        var lines = output.Split('\n');
        var hashes = lines.Where(l => l.Length == 64 && HashSpec.IsHashHex(l)).ToList();
        Assert.Equal(4, hashes.Count);
        Assert.Equal(hashes[0], hashes[1]); // data hash
        Assert.Equal(hashes[2], hashes[3]); // entry hash
    }

    [Fact]
    public async Task TheShellSteps_CatchAnEntryForgedWithCorrectHashes()
    {
        var forged = PackFiles.Unzip(Path.Combine(_ledger.Folder, "pack.zip"));
        var path = Path.Combine(forged, EvidencePackFiles.Entries);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var entry = json["entries"]![1]!;
        entry["actor"] = "not_user_0";
        PackFiles.Rehash(entry);
        await File.WriteAllTextAsync(path, json.ToJsonString());

        var (exit, output) = await BashAsync($"verify_inclusion {(long)entry["sequence"]!}", forged);

        Assert.NotEqual(0, exit);
        Assert.Contains("leaf hash differs", output);
    }

    private static JsonNode Checkpoint(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, EvidencePackFiles.Checkpoint)))!;
}

using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MonitorConsole.Audit.Checkpoints;
using MonitorConsole.Audit.Evidence;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Tests.Support;

namespace MonitorConsole.Audit.Tests.Evidence;

/// <summary>
/// A pack in a forger's hands: every edit that changes what it proves fails offline verification, even when the
/// forger recomputes the hashes they can (entry hashes, SHA256SUMS) or signs with a key of their own.
/// </summary>
public sealed class EvidenceForgeryTests : IAsyncLifetime
{
    private LedgerFixture _ledger = null!;
    private string _zip = "";
    private string _keyId = "";

    public async ValueTask InitializeAsync()
    {
        _ledger = new LedgerFixture();
        await _ledger.SeedAsync(60);
        var (path, pack) = await PackFiles.MakeAsync(_ledger, TrailFilter.ForActor("user_3"));
        await using (pack) _keyId = pack.Report.Checkpoint.KeyId;
        _zip = path;
    }

    public async ValueTask DisposeAsync() => await _ledger.DisposeAsync();

    private Task<EvidenceVerification> VerifyAsync(string zip) => EvidenceVerifier.VerifyFileAsync(zip, PackFiles.Trusted(_ledger, _keyId));

    /// <summary>Unzips the pack, lets the forger edit the folder, zips it again with SHA256SUMS rewritten.</summary>
    private string Forge(Action<string> edit, bool rewriteSums = true)
    {
        var folder = PackFiles.Unzip(_zip);
        edit(folder);
        return PackFiles.Rezip(folder, Path.Combine(_ledger.Folder, $"forged-{Guid.NewGuid():N}.zip"), rewriteSums);
    }

    private static void EditEntries(string folder, Action<JsonArray> edit)
    {
        var path = Path.Combine(folder, EvidencePackFiles.Entries);
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        edit(json["entries"]!.AsArray());
        File.WriteAllText(path, json.ToJsonString());
    }

    [Fact]
    public async Task TheUntouchedPack_Verifies()
    {
        var result = await VerifyAsync(_zip);
        Assert.True(result.Valid);
        Assert.Equal(15, result.Entries);
    }

    [Fact]
    public async Task AnEntryEdited_WithoutRehashing_FailsItsHashes()
    {
        var forged = Forge(f => EditEntries(f, entries => entries[2]!["data"] = "{\"step\": 999}"));
        var result = await VerifyAsync(forged);
        Assert.False(result.Valid);
        Assert.Equal(EvidenceCheckOutcome.Failed, PackFiles.Check(result, "Entries' hashes").Outcome);
        Assert.Equal(EvidenceCheckOutcome.Passed, PackFiles.Check(result, "Files as listed in SHA256SUMS").Outcome);
    }

    [Fact]
    public async Task AnEntryEdited_AndRehashed_IsNotInTheSignedTree()
    {
        var forged = Forge(f => EditEntries(f, entries =>
        {
            entries[2]!["actor"] = "someone_else";
            PackFiles.Rehash(entries[2]!);
        }));
        var result = await VerifyAsync(forged);
        Assert.False(result.Valid);
        Assert.Equal(EvidenceCheckOutcome.Passed, PackFiles.Check(result, "Entries' hashes").Outcome);
        var proofs = PackFiles.Check(result, "Inclusion proofs");
        Assert.Equal(EvidenceCheckOutcome.Failed, proofs.Outcome);
        Assert.Contains("leaf_hash", proofs.Detail);
    }

    [Fact]
    public async Task AnEntryRemoved_LeavesAProofWithoutItsEntry_AndAProofRemoved_AnEntryWithoutItsProof()
    {
        var withoutEntry = await VerifyAsync(Forge(f => EditEntries(f, entries => entries.RemoveAt(4))));
        Assert.False(withoutEntry.Valid);
        Assert.Contains("has no entry in entries.json", PackFiles.Check(withoutEntry, "Inclusion proofs").Detail);

        var withoutProof = await VerifyAsync(Forge(f =>
        {
            var path = Path.Combine(f, EvidencePackFiles.Proofs);
            File.WriteAllLines(path, File.ReadAllLines(path).Where((_, i) => i != 4));
        }));
        Assert.False(withoutProof.Valid);
        Assert.Contains("has no proof", PackFiles.Check(withoutProof, "Inclusion proofs").Detail);
    }

    [Fact]
    public async Task AnEntryPlanted_WithAValidHashAndAProofOfAnotherEntry_IsCaught()
    {
        var forged = Forge(f =>
        {
            EditEntries(f, entries =>
            {
                var planted = JsonNode.Parse(entries[0]!.ToJsonString())!;
                planted["data"] = "{\"planted\": true}";
                PackFiles.Rehash(planted);
                entries[0] = planted;
            });
        });
        var result = await VerifyAsync(forged);
        Assert.False(result.Valid);
        Assert.Equal(EvidenceCheckOutcome.Failed, PackFiles.Check(result, "Inclusion proofs").Outcome);
    }

    [Fact]
    public async Task AFileChanged_WithoutRewritingSha256Sums_FailsTheFileList()
    {
        var forged = Forge(f => File.AppendAllText(Path.Combine(f, EvidencePackFiles.ReportHtml), "<p>all good</p>"), rewriteSums: false);
        var result = await VerifyAsync(forged);
        Assert.False(result.Valid);
        var files = PackFiles.Check(result, "Files as listed in SHA256SUMS");
        Assert.Equal(EvidenceCheckOutcome.Failed, files.Outcome);
        Assert.Contains("report.html does not match", files.Detail);
    }

    [Fact]
    public async Task ACheckpointResignedWithTheForgersKey_FailsAgainstTheTrustedKey_AndSaysSoWithoutIt()
    {
        using var forgerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = Forge(f =>
        {
            var path = Path.Combine(f, EvidencePackFiles.Checkpoint);
            var original = Checkpoint.Parse(File.ReadAllText(path));
            var spki = forgerKey.ExportSubjectPublicKeyInfo();
            var keyId = CheckpointKeys.KeyIdOf(spki);
            var resigned = original with
            {
                KeyId = keyId,
                PublicKey = Convert.ToBase64String(spki),
                Signature = Convert.ToBase64String(forgerKey.SignData(
                    Checkpoint.SignedText(original.TreeSize, original.EntryHash, original.MerkleRoot, original.Timestamp, keyId), HashAlgorithmName.SHA256)),
            };
            File.WriteAllText(path, resigned.ToJson());
            foreach (var (name, content) in CheckpointArtifacts.Of(resigned)) File.WriteAllBytes(Path.Combine(f, name), content);
        });

        var trusted = await VerifyAsync(forged);
        Assert.False(trusted.Valid);
        Assert.Equal(EvidenceCheckOutcome.Failed, PackFiles.Check(trusted, "Checkpoint signature").Outcome);

        var untrusted = await EvidenceVerifier.VerifyFileAsync(forged, PackFiles.Untrusted);
        var key = PackFiles.Check(untrusted, "Signing key trusted");
        Assert.Equal(EvidenceCheckOutcome.NotChecked, key.Outcome);
        Assert.Contains(CheckpointKeys.KeyIdOf(forgerKey.ExportSubjectPublicKeyInfo()), key.Detail);
    }

    [Fact]
    public async Task AStatementForOpensslThatDiffersFromTheCheckpoint_IsCaught()
    {
        var forged = Forge(f => File.WriteAllText(Path.Combine(f, EvidencePackFiles.Statement), "monitorconsole.checkpoint.v1\n1\n"));
        var result = await VerifyAsync(forged);
        Assert.False(result.Valid);
        Assert.Contains("statement.txt", PackFiles.Check(result, "Checkpoint files for openssl").Detail);
    }

    [Fact]
    public async Task AZipNamingAFileTwice_IsRefused()
    {
        var doubled = Path.Combine(_ledger.Folder, "doubled.zip");
        File.Copy(_zip, doubled);
        using (var zip = ZipFile.Open(doubled, ZipArchiveMode.Update))
        {
            var entry = zip.CreateEntry(EvidencePackFiles.Entries);
            await using var stream = entry.Open();
            await stream.WriteAsync(Encoding.UTF8.GetBytes("""{"format":"monitorconsole.audit.v1","entries":[]}"""));
        }
        var error = await Assert.ThrowsAsync<AuditValidationException>(() => VerifyAsync(doubled));
        Assert.Contains("twice", error.Problem);
    }

    [Fact]
    public async Task AFileThatIsNotAZip_IsRefusedWithAReason()
    {
        var path = Path.Combine(_ledger.Folder, "not-a-pack.zip");
        await File.WriteAllTextAsync(path, "hello");
        var error = await Assert.ThrowsAsync<AuditValidationException>(() => VerifyAsync(path));
        Assert.Contains("not a zip", error.Problem);
    }

    [Fact]
    public async Task APackEmptiedOfEntriesAndProofs_ProvesNothing_AndFails()
    {
        var forged = Forge(f =>
        {
            File.WriteAllText(Path.Combine(f, EvidencePackFiles.Entries), """{"format":"monitorconsole.audit.v1","scope":"trail","entries":[]}""");
            File.WriteAllText(Path.Combine(f, EvidencePackFiles.Proofs), "");
        });
        var result = await VerifyAsync(forged);
        Assert.False(result.Valid);
        Assert.Equal(EvidenceCheckOutcome.Failed, PackFiles.Check(result, "Entries present").Outcome);
    }

    [Fact]
    public async Task ASecondJsonDocumentAfterTheEntries_EvenAtTheReadBufferEdge_IsRefused()
    {
        var forged = Forge(f =>
        {
            var path = Path.Combine(f, EvidencePackFiles.Entries);
            var body = File.ReadAllText(path).TrimEnd();
            // The closing brace lands on the reader's 64 KiB edge, and another document follows it.
            var padded = body[..^1] + new string(' ', 65535 - System.Text.Encoding.UTF8.GetByteCount(body[..^1])) + "}";
            File.WriteAllText(path, padded + """{"entries":[{"sequence":999,"action":"DELETE_ALL"}]}""");
        });
        var error = await Assert.ThrowsAsync<AuditOperationException>(() => VerifyAsync(forged));
        Assert.Contains("more after its JSON document", error.Message);
    }

    [Fact]
    public async Task AFileNoPackHas_EvenListedInSha256Sums_FailsTheCheck()
    {
        // A Cyrillic "е" makes a name that looks like entries.json.
        var forged = Forge(f => File.WriteAllText(Path.Combine(f, "\u0435ntries.json"), "{}"));
        var result = await VerifyAsync(forged);
        Assert.False(result.Valid);
        Assert.Contains("\u0435ntries.json", PackFiles.Check(result, "Only a pack's files").Detail);
    }

    [Fact]
    public async Task ACheckpointNamingAFieldTwice_OrAProofLineWithExtraFields_IsRefused()
    {
        var doubled = Forge(f =>
        {
            var path = Path.Combine(f, EvidencePackFiles.Checkpoint);
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"tree_size\":", "\"tree_size\": 1, \"tree_size\":", StringComparison.Ordinal));
        });
        var checkpointError = await Assert.ThrowsAsync<AuditValidationException>(() => VerifyAsync(doubled));
        Assert.Equal("checkpoint", checkpointError.Field);

        var extra = Forge(f =>
        {
            var path = Path.Combine(f, EvidencePackFiles.Proofs);
            var lines = File.ReadAllLines(path);
            lines[0] = lines[0].TrimEnd('}') + ",\"note\":\"" + new string('a', 64) + "\"}";
            File.WriteAllLines(path, lines);
        });
        var proofError = await Assert.ThrowsAsync<AuditValidationException>(() => VerifyAsync(extra));
        Assert.Contains("line 1", proofError.Problem);
    }
}

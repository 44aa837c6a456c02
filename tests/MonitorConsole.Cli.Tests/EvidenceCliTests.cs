using System.IO.Compression;
using System.Security.Cryptography;
using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Cli.Tests;

/// <summary>`audit evidence` makes an anchored pack and records it; `audit verify-evidence` says how far it vouches for one.</summary>
public sealed class EvidenceCliTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private LocalTsa _tsa = null!;

    public ValueTask InitializeAsync()
    {
        _tsa = LocalTsa.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _tsa.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task APack_IsAnchoredAndRecorded_AndVerifiesOffline_VouchedOnlyWithThePublishedKey()
    {
        for (var i = 0; i < 6; i++)
            Assert.Equal(0, (await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", i % 2 == 0 ? "alice" : "bob",
                "--resource-type", "model", "--data", $$"""{"step":{{i}}}""")).Code);
        Assert.Equal(0, (await _cli.RunAsync("audit", "erase", "--sequence", "3", "--reason", "GDPR request")).Code);
        var pack = Path.Combine(_cli.Folder, "pack.zip");
        var ca = _tsa.WriteCaPem(_cli.Folder);

        var made = await _cli.RunAsync("audit", "evidence", "--actor", "alice", "--out", pack, "--tsa-url", _tsa.Url, "--tsa-cert", ca);

        Assert.True(made.Code == 0, made.Out + made.Err);
        Assert.Contains("evidence pack of 3 entries", made.Out);
        Assert.Contains("with the ERASURE entry that records an erasure in scope", made.Out);
        Assert.Contains("anchored at", made.Out);
        Assert.False(File.Exists(pack + ".partial"));
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(pack)));
        Assert.Contains($"sha256 {sha256}", made.Out);
        var record = await _cli.RunAsync("audit", "trail", "--resource", "audit_ledger", "--action", "EVIDENCE_PACK_MADE", "--json");
        Assert.Contains(sha256, record.Out);

        var unvouched = await _cli.RunAsync("audit", "verify-evidence", pack, "--tsa-cert", ca);
        Assert.True(unvouched.Code == 3, unvouched.Out + unvouched.Err);
        Assert.Contains("SELF-CONSISTENT, NOT VOUCHED FOR", unvouched.Out);
        Assert.Contains($"sha256 of this zip: {sha256}", unvouched.Out);

        // The auditor's copy of the ledger's published key (here taken from the pack, as the key id shows it is the same).
        var key = Path.Combine(_cli.Folder, "ledger-key.pem");
        using (var zip = ZipFile.OpenRead(pack)) zip.GetEntry("checkpoint/public-key.pem")!.ExtractToFile(key);
        var vouched = await _cli.RunAsync("audit", "verify-evidence", pack, "--public-key", key, "--tsa-cert", ca);
        Assert.True(vouched.Code == 0, vouched.Out + vouched.Err);
        Assert.Contains("ok           Time anchor (RFC 3161)", vouched.Out);
        Assert.Contains("valid: every check passed against the trusted key", vouched.Out);
    }

    [Fact]
    public async Task APackOfNothing_IsRefused_AndLeavesNoFile()
    {
        Assert.Equal(0, (await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", "alice", "--resource-type", "model")).Code);
        var pack = Path.Combine(_cli.Folder, "none.zip");
        var refused = await _cli.RunAsync("audit", "evidence", "--actor", "nobody", "--out", pack);
        Assert.Equal(2, refused.Code);
        Assert.Contains("filter: picks no entries", refused.Err);
        Assert.False(File.Exists(pack));
    }
}

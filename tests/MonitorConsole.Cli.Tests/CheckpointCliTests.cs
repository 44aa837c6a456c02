namespace MonitorConsole.Cli.Tests;

public sealed class CheckpointCliTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(0, (await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", $"user{i % 2}", "--resource-type", "model",
                "--data", $$"""{"step":{{i}}}""")).Code);
    }

    [Fact]
    public async Task VerifyAgainstACheckpoint_PassesAfterGrowth_AndExitsOneAfterTruncation()
    {
        await AppendAsync(6);
        var file = Path.Combine(_cli.Folder, "checkpoint.json");
        var made = await _cli.RunAsync("audit", "checkpoint", "--out", file);
        Assert.Equal(0, made.Code);
        Assert.Contains("checkpoint of 6 entries", made.Out);
        await AppendAsync(2);
        var ok = await _cli.RunAsync("audit", "verify", "--checkpoint", file);
        Assert.True(ok.Code == 0, ok.Out + ok.Err);
        Assert.Contains("checkpoint: matches", ok.Out);

        _cli.Sql("DELETE FROM audit_entries WHERE sequence > 4");
        var cut = await _cli.RunAsync("audit", "verify", "--checkpoint", file);
        Assert.Equal(1, cut.Code);
        Assert.StartsWith("valid", cut.Out); // the chain alone still looks fine
        Assert.Contains("checkpoint: truncated", cut.Out);
    }

    [Fact]
    public async Task AnInclusionProof_VerifiesOffline_AndAnAlteredEntryInItDoesNot()
    {
        await AppendAsync(9);
        var proof = Path.Combine(_cli.Folder, "proof.json");
        Assert.Equal(0, (await _cli.RunAsync("audit", "prove", "--sequence", "4", "--out", proof)).Code);

        var ok = await _cli.RunAsync("audit", "verify-proof", proof);
        Assert.True(ok.Code == 0, ok.Out);
        Assert.EndsWith("valid", ok.Out.Trim());
        Assert.Contains("compare it with the published key id", ok.Out);
        var key = Directory.GetFiles(Path.Combine(_cli.Folder, "checkpoint-keys"), "*.pem").Single();
        Assert.Contains("trusted", (await _cli.RunAsync("audit", "verify-proof", proof, "--public-key", key)).Out);

        await File.WriteAllTextAsync(proof, (await File.ReadAllTextAsync(proof)).Replace("\\u0022step\\u0022:3", "\\u0022step\\u0022:7", StringComparison.Ordinal)
            .Replace("{\\\"step\\\":3}", "{\\\"step\\\":7}", StringComparison.Ordinal));
        var altered = await _cli.RunAsync("audit", "verify-proof", proof);
        Assert.Equal(1, altered.Code);
        Assert.Contains("do NOT match", altered.Out);
    }

    [Fact]
    public async Task AConsistencyProof_ShowsTheLedgerExtendsAnEarlierCheckpoint()
    {
        await AppendAsync(5);
        var old = Path.Combine(_cli.Folder, "old.json");
        await _cli.RunAsync("audit", "checkpoint", "--out", old);
        await AppendAsync(6);
        var proof = Path.Combine(_cli.Folder, "consistency.json");
        Assert.Equal(0, (await _cli.RunAsync("audit", "prove", "--consistency-from", old, "--out", proof)).Code);
        var check = await _cli.RunAsync("audit", "verify-proof", proof);
        Assert.True(check.Code == 0, check.Out);
        Assert.Contains("extends the older one", check.Out);
    }
}

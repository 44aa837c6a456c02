using MonitorConsole.Tests.Shared;

namespace MonitorConsole.Cli.Tests;

/// <summary>`audit checkpoint` with a TSA, `audit checkpoint anchor|list|show` and the offline `audit verify-checkpoint`.</summary>
public sealed class CheckpointAnchorCliTests : IAsyncLifetime
{
    private readonly CliRunner _cli = new();
    private LocalTsa _tsa = null!;
    private LocalTsa _other = null!;

    public ValueTask InitializeAsync()
    {
        _tsa = LocalTsa.Start();
        _other = LocalTsa.Start("Someone Else's TSA");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _tsa.DisposeAsync();
        await _other.DisposeAsync();
        _cli.Dispose();
    }

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
            Assert.Equal(0, (await _cli.RunAsync("audit", "append", "--action", "UPDATE", "--actor", "alice", "--resource-type", "model",
                "--data", $$"""{"step":{{i}}}""")).Code);
    }

    [Fact]
    public async Task AnAnchoredCheckpointFile_VerifiesOffline_OnlyAgainstTheRightTsaCertificate()
    {
        await AppendAsync(3);
        var file = Path.Combine(_cli.Folder, "checkpoint.json");
        var made = await _cli.RunAsync("audit", "checkpoint", "--out", file, "--tsa-url", _tsa.Url);
        Assert.True(made.Code == 0, made.Err);
        Assert.Contains("anchored at", made.Out);
        var ca = _tsa.WriteCaPem(_cli.Folder);
        var otherCa = _other.WriteCaPem(_cli.Folder, "other-ca.pem");

        var right = await _cli.RunAsync("audit", "verify-checkpoint", file, "--tsa-cert", ca, "--require-anchor");
        Assert.True(right.Code == 0, right.Out + right.Err);
        Assert.Contains("time anchor: anchored at", right.Out);
        Assert.Contains("by CN=MonitorConsole Test TSA", right.Out);

        var wrong = await _cli.RunAsync("audit", "verify-checkpoint", file, "--tsa-cert", otherCa);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("token invalid", wrong.Out);

        var unpinned = await _cli.RunAsync("audit", "verify-checkpoint", file);
        Assert.Equal(0, unpinned.Code);
        Assert.Contains("no trusted tsa", unpinned.Out);
        Assert.Equal(1, (await _cli.RunAsync("audit", "verify-checkpoint", file, "--require-anchor")).Code);

        var online = await _cli.RunAsync("audit", "verify", "--checkpoint", file, "--tsa-cert", ca);
        Assert.True(online.Code == 0, online.Out + online.Err);
        Assert.Contains("time anchor: anchored at", online.Out);
    }

    [Fact]
    public async Task WhenTheTsaIsDown_TheCheckpointIsKept_AndTheAnchorVerbAnchorsItLater()
    {
        await AppendAsync(2);
        _tsa.Failing = true;
        var made = await _cli.RunAsync("audit", "checkpoint", "--out", Path.Combine(_cli.Folder, "c.json"), "--tsa-url", _tsa.Url);
        Assert.Equal(0, made.Code);
        Assert.Contains("not anchored", made.Out);
        Assert.Contains("HTTP 503", made.Out);
        var ca = _tsa.WriteCaPem(_cli.Folder);
        Assert.Contains("not anchored", (await _cli.RunAsync("audit", "checkpoint", "list", "--tsa-cert", ca)).Out);
        Assert.Equal(2, (await _cli.RunAsync("audit", "checkpoint", "anchor", "--tsa-url", _tsa.Url)).Code);

        _tsa.Failing = false;
        var anchored = await _cli.RunAsync("audit", "checkpoint", "anchor", "--tsa-url", _tsa.Url);
        Assert.True(anchored.Code == 0, anchored.Out + anchored.Err);
        Assert.Contains("checkpoint 1 (2 entries): anchored at", anchored.Out);
        var list = await _cli.RunAsync("audit", "checkpoint", "list", "--tsa-cert", ca);
        Assert.Contains("anchored at", list.Out);
        Assert.DoesNotContain("not anchored", list.Out);

        var exported = Path.Combine(_cli.Folder, "exported.json");
        Assert.Equal(0, (await _cli.RunAsync("audit", "checkpoint", "show", "--id", "1", "--out", exported)).Code);
        Assert.Equal(0, (await _cli.RunAsync("audit", "verify-checkpoint", exported, "--tsa-cert", ca, "--require-anchor")).Code);

        var again = await _cli.RunAsync("audit", "checkpoint", "anchor", "--id", "1", "--tsa-url", _tsa.Url);
        Assert.Equal(2, again.Code);
        Assert.Contains("already anchored", again.Err);
    }
}

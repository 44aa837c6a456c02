namespace MonitorConsole.Cli.Tests;

public sealed class AccessCliTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task UsersAdd_CreatesTheFirstAdministrator_WithThePasswordFromStdin_AndIsAudited()
    {
        var added = await _cli.RunWithInputAsync("a long enough password\n", "users", "add", "--user", "root", "--role", "admin", "--password-stdin");
        Assert.Equal((0, "added root as Admin"), (added.Code, added.Out.Trim()));
        var list = await _cli.RunAsync("users", "list");
        Assert.Equal("root\tAdmin\tactive", list.Out.Trim());
        var trail = await _cli.RunAsync("audit", "trail", "--resource", "user", "root");
        Assert.Contains("USER_CREATED", trail.Out);
        Assert.Contains("cli:", trail.Out);
    }

    [Fact]
    public async Task UsersAdd_RefusesAPasswordArgumentOrAWeakPassword_AndCreatesNothing()
    {
        var noStdin = await _cli.RunAsync("users", "add", "--user", "root", "--role", "Admin");
        Assert.Equal(2, noStdin.Code);
        Assert.Contains("--password-stdin", noStdin.Err);
        var weak = await _cli.RunWithInputAsync("short\n", "users", "add", "--user", "root", "--role", "Admin", "--password-stdin");
        Assert.Equal(2, weak.Code);
        Assert.StartsWith("error: password:", weak.Err);
        Assert.Equal("", (await _cli.RunAsync("users", "list")).Out.Trim());
    }

    [Fact]
    public async Task KeysCreate_PrintsTheTokenOnce_ListNeverShowsIt_RevokeWorks()
    {
        var created = await _cli.RunAsync("keys", "create", "--name", "feature-store", "--scope", "audit:append", "--scope", "read");
        Assert.Equal(0, created.Code);
        var token = created.Out.Trim();
        Assert.StartsWith("mc_", token);
        var keyId = token.Split('_')[1];
        var list = await _cli.RunAsync("keys", "list");
        Assert.Contains($"{keyId}\tfeature-store\taudit:append read\tactive", list.Out);
        Assert.DoesNotContain(token, list.Out);
        Assert.Equal(0, (await _cli.RunAsync("keys", "revoke", keyId)).Code);
        Assert.Contains("revoked", (await _cli.RunAsync("keys", "list")).Out);
        Assert.Equal(2, (await _cli.RunAsync("keys", "create", "--name", "x", "--scope", "root")).Code);
    }
}

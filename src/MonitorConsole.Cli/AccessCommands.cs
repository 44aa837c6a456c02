using MonitorConsole.Audit;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;

namespace MonitorConsole.Cli;

/// <summary>
/// `users` and `keys`: accounts and API keys from a shell, e.g. the first administrator on a fresh install. Whoever
/// runs these holds the database, so they act with every permission; the ledger records them as cli:&lt;OS user&gt;.
/// </summary>
public static class AccessCommands
{
    public static Caller Operator => Caller.System(LedgerVocabulary.CliActorPrefix + Environment.UserName);

    public static IEnumerable<Command> Build(TextWriter stdout, TextReader stdin) => [Users(stdout, stdin), Keys(stdout)];

    private static Command Users(TextWriter stdout, TextReader stdin)
    {
        var users = new Command("users", "Console accounts");
        var name = new Option<string>("--user") { Description = "User name", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", ConsoleRoles.All)}", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (never from an argument)" };

        var add = new Command("add", "Add an account (the first administrator, for instance)") { name, role, passwordStdin };
        add.SetAction((parse, ct) => WithAccountsAsync(parse, async accounts =>
        {
            if (!parse.GetValue(passwordStdin)) throw new ArgumentException("--password-stdin is required: pipe the password in, so it stays out of the process list and shell history");
            var password = (await stdin.ReadLineAsync(ct))?.TrimEnd('\r') ?? "";
            var user = await accounts.AddAsync(Operator, parse.GetValue(name)!, parse.GetValue(role)!, password, ct);
            await stdout.WriteLineAsync($"added {user.UserName} as {user.Role}");
        }));

        var list = new Command("list", "List accounts");
        list.SetAction((parse, ct) => WithAccountsAsync(parse, async accounts =>
        {
            foreach (var user in await accounts.ListAsync(Operator, ct))
                await stdout.WriteLineAsync($"{user.UserName}\t{user.Role}\t{(user.Locked ? "locked" : "active")}");
        }));

        var setRole = new Command("set-role", "Change an account's role") { name, role };
        setRole.SetAction((parse, ct) => WithAccountsAsync(parse, async accounts =>
        {
            var user = await accounts.SetRoleAsync(Operator, parse.GetValue(name)!, parse.GetValue(role)!, ct);
            await stdout.WriteLineAsync($"{user.UserName} is now {user.Role}");
        }));

        var lockUser = new Command("lock", "Lock an account") { name };
        lockUser.SetAction((parse, ct) => WithAccountsAsync(parse, accounts => accounts.SetLockedAsync(Operator, parse.GetValue(name)!, true, ct)));
        var unlock = new Command("unlock", "Unlock an account") { name };
        unlock.SetAction((parse, ct) => WithAccountsAsync(parse, accounts => accounts.SetLockedAsync(Operator, parse.GetValue(name)!, false, ct)));
        var remove = new Command("remove", "Delete an account (its ledger entries stay)") { name };
        remove.SetAction((parse, ct) => WithAccountsAsync(parse, accounts => accounts.DeleteAsync(Operator, parse.GetValue(name)!, ct)));

        foreach (var command in new[] { add, list, setRole, lockUser, unlock, remove }) users.Subcommands.Add(command);
        return users;
    }

    private static Command Keys(TextWriter stdout)
    {
        var keys = new Command("keys", "API keys for other services");
        var name = new Option<string>("--name") { Description = "The service the key is for", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = $"Repeatable: {string.Join(", ", ApiKeyScopes.All)}", Required = true, AllowMultipleArgumentsPerToken = true };
        var perMinute = new Option<int?>("--requests-per-minute") { Description = "Rate limit (default 600)" };
        var maxBody = new Option<long?>("--max-body-bytes") { Description = "Largest request body (default 16 MiB)" };

        var create = new Command("create", "Create a key; the token is printed once") { name, scopes, perMinute, maxBody };
        create.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var created = await services.GetRequiredService<ApiKeyService>().CreateAsync(Operator,
                new ApiKeyRequest(parse.GetValue(name)!, parse.GetValue(scopes)!, parse.GetValue(perMinute), parse.GetValue(maxBody)), ct);
            await stdout.WriteLineAsync(created.Token);
            return CliApp.Ok;
        });

        var list = new Command("list", "List keys (never their tokens)");
        list.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            foreach (var key in await services.GetRequiredService<ApiKeyService>().ListAsync(Operator, ct))
                await stdout.WriteLineAsync($"{key.KeyId}\t{key.Name}\t{string.Join(' ', key.Scopes)}\t{(key.Active ? "active" : "revoked")}\t{key.LastUsedAt?.ToString("yyyy-MM-ddTHH:mm:ssZ") ?? "never used"}");
            return CliApp.Ok;
        });

        var keyId = new Argument<string>("key-id") { Description = "The key's id (the part after mc_)" };
        var revoke = new Command("revoke", "Revoke a key") { keyId };
        revoke.SetAction(async (parse, ct) =>
        {
            await using var services = CliApp.Services(parse);
            var key = await services.GetRequiredService<ApiKeyService>().RevokeAsync(Operator, parse.GetValue(keyId)!, ct);
            await stdout.WriteLineAsync($"revoked {key.Name}");
            return CliApp.Ok;
        });

        foreach (var command in new[] { create, list, revoke }) keys.Subcommands.Add(command);
        return keys;
    }

    private static async Task<int> WithAccountsAsync(ParseResult parse, Func<UserAccounts, Task> action)
    {
        await using var services = CliApp.Services(parse);
        await using var scope = services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<UserAccounts>());
        return CliApp.Ok;
    }
}

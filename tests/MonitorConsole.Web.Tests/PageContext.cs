using Bunit;
using Bunit.TestDoubles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Audit;
using MonitorConsole.Audit.Chain;
using MonitorConsole.Monitoring;
using MonitorConsole.Access;
using MudBlazor.Services;

namespace MonitorConsole.Web.Tests;

/// <summary>A bUnit context with the console's real services on a fresh SQLite file.</summary>
public abstract class PageContext : BunitContext
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mc-page-tests", Guid.NewGuid().ToString("N"));

    protected PageContext()
    {
        Directory.CreateDirectory(_folder);
        DatabasePath = Path.Combine(_folder, "console.db");
        Services.AddSingleton(TimeProvider.System);
        Services.AddMonitoring(o => o.AllowInsecureWebhooks = true, withScheduler: false);
        Services.Configure<AuditOptions>(o => o.Database = $"sqlite:///{DatabasePath}");
        Services.AddSingleton<LastVerification>();
        Services.AddSingleton<Api.ChainPassCache>();
        Services.AddMudServices();
        Services.AddScoped<Access.CurrentCaller>();
        Services.AddSingleton<Microsoft.AspNetCore.Components.Forms.AntiforgeryStateProvider>(new TestAntiforgery());
        Authorization = AddAuthorization();
        SignInAs(ConsoleRoles.Admin);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", true));
    }

    protected string DatabasePath { get; }

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs the page's user in with the role: its claims, and the permission policies the role grants.</summary>
    protected void SignInAs(string role, string userName = "tester")
    {
        Authorization.SetAuthorized(userName);
        Authorization.SetRoles(role);
        Authorization.SetPolicies(ConsoleRoles.PermissionsOf(role).Select(p => p.ToString()).ToArray());
    }

    protected async Task SeedAsync(int count)
    {
        var writer = Services.GetRequiredService<AuditWriter>();
        await writer.AppendBatchAsync(Enumerable.Range(1, count)
            .Select(i => new AuditEntryDraft("UPDATE", $"user_{i % 3}", "model", $"m{i}", $"{{\"step\":{i}}}")).ToList());
    }

    protected void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete; DROP TRIGGER IF EXISTS audit_entries_continue_head; " + sql;
        command.ExecuteNonQuery();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>
/// A form's antiforgery token as the server renders it; bUnit supplies none, so an &lt;AntiforgeryToken /&gt; would
/// render nothing and a test could not tell a form that carries it from one that does not.
/// </summary>
public sealed class TestAntiforgery : Microsoft.AspNetCore.Components.Forms.AntiforgeryStateProvider
{
    public const string FieldName = "__RequestVerificationToken";

    public override Microsoft.AspNetCore.Components.Forms.AntiforgeryRequestToken GetAntiforgeryToken() => new("test-token", FieldName);
}

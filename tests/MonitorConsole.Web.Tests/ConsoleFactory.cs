using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace MonitorConsole.Web.Tests;

/// <summary>The console on a fresh SQLite file, scheduler off (the API's own tests do not need it).</summary>
public sealed class ConsoleFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mc-web-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_folder);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Audit:Database", $"sqlite:///{Path.Combine(_folder, "console.db")}");
        builder.UseSetting("Monitoring:SchedulerEnabled", "false");
        builder.UseSetting("Monitoring:AllowInsecureWebhooks", "true");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
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

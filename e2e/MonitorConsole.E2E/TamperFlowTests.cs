using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace MonitorConsole.E2E;

/// <summary>A compliance officer verifies a chain someone altered behind the app's back.</summary>
public sealed class TamperFlowTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task TamperedDatabaseFile_ShowsTheHighlightedBreak()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", await app.CreateKeyAsync("audit:append"));
        for (var i = 1; i <= 8; i++)
            (await http.PostAsJsonAsync("/api/audit/entries", new { action = "UPDATE", actor = $"user_{i % 3}", resource_type = "model", resource_id = $"m{i}" })).EnsureSuccessStatusCode();

        long tampered;
        using (var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_entries_no_update; UPDATE audit_entries SET entry_hash = 'ff' || substr(entry_hash, 3) WHERE resource_id = 'm4' RETURNING sequence;";
            tampered = Convert.ToInt64(command.ExecuteScalar());
        }

        var page = await app.OpenAsync("/verify");
        await page.GetByTestId("run-verify").ClickAsync();
        await page.GetByTestId("verify-invalid").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Contains("previous_hash_mismatch", await page.GetByTestId("verify-problems").InnerTextAsync());
        await ConsoleApp.ScreenshotAsync(page, "07-verification-tampered");

        await page.GetByLabel($"Show entry {tampered + 1} in the chain").ClickAsync();
        await page.WaitForURLAsync($"**/audit/entries/{tampered + 1}");
        await page.GetByTestId("broken-link").WaitForAsync();
        Assert.Contains("expected ff", await page.GetByTestId("broken-link").InnerTextAsync());
        await ConsoleApp.ScreenshotAsync(page, "08-broken-link");
    }
}

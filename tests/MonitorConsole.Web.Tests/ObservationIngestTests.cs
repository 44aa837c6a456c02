using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Access;
using MonitorConsole.Monitoring.Runs;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Web.Tests;

/// <summary>CSV observations over HTTP: a bad value is a 400 naming row and column; a large body streams in whole.</summary>
public sealed class ObservationIngestTests : IAsyncLifetime
{
    private const int Rows = 200_000;
    private readonly ConsoleFactory _factory = new();

    public ValueTask InitializeAsync()
    {
        _factory.UseKestrel(0);
        _factory.StartServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task LargeCsvOverASocket_IsStoredWhole_AndARunReadsEveryRow()
    {
        using var client = await ClientAsync();
        await ConfigureAsync(client);
        // Quoted fields and CRLF line ends as well, past every buffer.
        var csv = new StringBuilder("age,income,\"note\"\r\n");
        double ageSum = 0;
        for (var i = 0; i < Rows; i++)
        {
            var age = 20 + i % 40 + (i % 3) * 0.5;
            ageSum += age;
            csv.Append(age.ToString(CultureInfo.InvariantCulture)).Append(',').Append(30000 + i * 97 % 50000)
                .Append(i % 10 == 0 ? ",\"a, \"\"quoted\"\" note\"\r\n" : ",plain\r\n");
        }
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");

        var response = await client.PostAsync("/api/models/big/observations", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using (var db = await _factory.Services.GetRequiredService<MonitoringDatabase>().CreateDbContextAsync())
        {
            var batch = await db.Observations.SingleAsync();
            Assert.Equal(Rows, batch.Count);
            var age = await db.ObservationColumns.SingleAsync(c => c.ObservationId == batch.Id && c.Name == "age");
            Assert.Equal(ageSum, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(age.Data).ToArray().Sum(), 6);
            var note = await db.ObservationColumns.SingleAsync(c => c.ObservationId == batch.Id && c.Name == "note");
            Assert.Equal("""["a, \u0022quoted\u0022 note","plain"]""", note.LabelsJson);
        }
        var run = await _factory.Services.GetRequiredService<DriftRunner>().RunScheduledAsync("big", null);
        Assert.Equal(Monitoring.Models.RunStatus.Completed, run.Status);
        Assert.Contains($"\"rows\":{Rows}", run.MetricsJson);
    }

    [Fact]
    public async Task CsvWithATextInANumericFeature_Is400NamingRowAndColumn()
    {
        using var client = await ClientAsync();
        await ConfigureAsync(client);
        var csv = "age,income\n" + string.Join('\n', Enumerable.Range(1, 30).Select(i => i == 17 ? "n/a,1" : $"{i},1"));

        var response = await client.PostAsync("/api/models/big/observations", new StringContent(csv, Encoding.UTF8, "text/csv"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AuditApiTests.Json(response);
        Assert.Equal("row 17, column age", problem.GetProperty("field").GetString());
        Assert.Contains("'n/a' is not a number", problem.ToString());
    }

    private async Task<HttpClient> ClientAsync()
    {
        var key = await _factory.CreateKeyAsync(scopes: [ApiKeyScopes.ModelsWrite, ApiKeyScopes.ObservationsWrite]);
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::1]", "localhost", StringComparison.Ordinal);
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Token);
        return client;
    }

    private static async Task ConfigureAsync(HttpClient client)
    {
        var put = await client.PutAsync("/api/models/big", new StringContent("""{"model_version":"1","features":["age","income"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var baseline = "age,income\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"{20 + i % 40},{30000 + i * 97 % 50000}"));
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/models/big/baseline", new StringContent(baseline, Encoding.UTF8, "text/csv"))).StatusCode);
    }
}

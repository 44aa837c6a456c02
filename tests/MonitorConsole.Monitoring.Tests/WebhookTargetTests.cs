using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using MonitorConsole.Monitoring.Alerts;

namespace MonitorConsole.Monitoring.Tests;

public sealed class WebhookTargetTests
{
    private static readonly MonitoringOptions Strict = new() { AllowInsecureWebhooks = false, AllowPrivateWebhookTargets = false };

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://localhost./hook")]
    [InlineData("https://api.localhost/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.20.0.1/hook")]
    [InlineData("https://192.168.1.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://2130706433/hook")]
    [InlineData("https://user:secret@hooks.example.com/x")]
    [InlineData("http://hooks.example.com/x")]
    [InlineData("file:///etc/passwd")]
    public void InternalOrUnsafeTargets_AreRefused_NamingTheField(string url)
    {
        var error = Assert.Throws<MonitoringInputException>(() => WebhookTargets.Check(url, Strict));
        Assert.Equal("webhooks", error.Field);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T000/B000/XXX")]
    [InlineData("https://93.184.216.34/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    public void PublicHttpsTargets_AreAccepted(string url) => Assert.NotNull(WebhookTargets.Check(url, Strict));

    [Fact]
    public void InternalTargets_AreAccepted_WhenConfigurationAllowsThem() =>
        Assert.NotNull(WebhookTargets.Check("https://10.0.0.5/hook", new MonitoringOptions { AllowPrivateWebhookTargets = true }));

    [Fact]
    public async Task TheWebhookClient_RefusesToConnectToAnInternalAddress_WhateverTheUrlSaid()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var f = new MonitoringFixture(o => o.AllowPrivateWebhookTargets = false);
        await using var scope = f.CreateScope();
        var client = scope.ServiceProvider.GetRequiredService<IHttpClientFactory>().CreateClient(AlertDispatcher.HttpClientName);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://localhost:{port}/"));
        Assert.Contains("internal addresses", error.Message);
        Assert.False(listener.Pending());
    }
}

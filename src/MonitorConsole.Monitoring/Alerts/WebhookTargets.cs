using System.Net;
using System.Net.Sockets;

namespace MonitorConsole.Monitoring.Alerts;

/// <summary>
/// Keeps alert webhooks from being turned into requests against internal services (SSRF): https only, and no loopback,
/// private, link-local, carrier-grade NAT, multicast or unspecified addresses — checked when a URL is configured and
/// again on every connection, against the addresses the name resolves to then (so a DNS change cannot slip past).
/// </summary>
public static class WebhookTargets
{
    public static Uri Check(string url, MonitoringOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new MonitoringInputException("webhooks", $"'{url}' is not an absolute http(s) URL");
        if (uri.Scheme == Uri.UriSchemeHttp && !options.AllowInsecureWebhooks)
            throw new MonitoringInputException("webhooks", $"'{url}' must use https (set Monitoring:AllowInsecureWebhooks to allow http)");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new MonitoringInputException("webhooks", $"'{url}' must not carry a user name or password in the URL");
        if (!options.AllowPrivateWebhookTargets)
        {
            var host = uri.IdnHost.TrimEnd('.');
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
                throw Internal(url);
            if (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IsInternal(address)) throw Internal(url);
        }
        return uri;
    }

    /// <summary>True for addresses a webhook must not reach unless configuration allows internal targets.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast)) return true;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10 || b[0] == 0 || b[0] >= 224
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x02 && IsInternal(new IPAddress(b[2..6]))) // 6to4 wrapping an internal IPv4
                || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && IsInternal(new IPAddress(b[12..16]))); // NAT64
        }
        return true;
    }

    /// <summary>
    /// The webhook client's connection step: resolves the host and connects only to an address that is allowed, so the
    /// address checked is the address used.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowInternal, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = allowInternal ? addresses : addresses.Where(a => !IsInternal(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"{endpoint.Host} resolves only to internal addresses; set Monitoring:AllowPrivateWebhookTargets to allow them");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static MonitoringInputException Internal(string url) => new("webhooks",
        $"'{url}' points at an internal address (loopback, private or link-local); set Monitoring:AllowPrivateWebhookTargets to allow it");
}

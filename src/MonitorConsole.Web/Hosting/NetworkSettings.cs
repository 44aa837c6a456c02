using System.Net;
using MonitorConsole.Audit;

namespace MonitorConsole.Web.Hosting;

/// <summary>Addresses and networks read from configuration; a mistyped one stops start-up naming its setting.</summary>
internal static class NetworkSettings
{
    public static IPAddress Address(string value, string setting) =>
        IPAddress.TryParse(value.Trim(), out var address)
            ? address
            : throw new InputException(setting, $"'{value}' is not an IP address (for example 10.0.0.5 or fd00::5)");

    public static IPNetwork Network(string value, string setting) =>
        IPNetwork.TryParse(value.Trim(), out var network)
            ? network
            : throw new InputException(setting, $"'{value}' is not a network in CIDR form (for example 10.0.0.0/24)");
}

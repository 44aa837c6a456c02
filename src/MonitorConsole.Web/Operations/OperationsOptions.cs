namespace MonitorConsole.Web.Operations;

/// <summary>Running the console: metrics and log format, bound from the "Operations" configuration section.</summary>
public sealed class OperationsOptions
{
    public const string Section = "Operations";

    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>
    /// Console log format: "simple" (the default, for people), "json" (one JSON object per line, UTC timestamps, for log
    /// shippers) or "systemd" (journald priorities, UTC timestamps).
    /// </summary>
    public string LogFormat { get; set; } = "simple";
}

/// <summary>The Prometheus endpoint, bound from "Operations:Metrics".</summary>
public sealed class MetricsOptions
{
    /// <summary>Serve metrics at <see cref="Path"/>. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Prometheus scrapes. Default: /metrics.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// The networks (CIDR) a scraper may call from; anyone else gets 403, signed in or not. The address is the
    /// connection's, or the client's as the trusted reverse proxy reports it. Default: loopback only
    /// (127.0.0.0/8, ::1/128); add your Prometheus server's network.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = ["127.0.0.0/8", "::1/128"];
}

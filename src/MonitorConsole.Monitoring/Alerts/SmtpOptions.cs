namespace MonitorConsole.Monitoring;

public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, refused if the server does not offer it (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,

    /// <summary>No encryption: only for a relay on the same host or in tests.</summary>
    None,
}

/// <summary>The mail server alerts are sent through (Monitoring:Smtp). Without a host, e-mail alerts fail with that reason.</summary>
public sealed class SmtpOptions
{
    /// <summary>Server name. Default: none (e-mail alerts are not sent).</summary>
    public string? Host { get; set; }

    /// <summary>Default: 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary>Default: StartTls.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User name to authenticate with; none: no authentication.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>Sender address. Default: monitorconsole@localhost.</summary>
    public string From { get; set; } = "monitorconsole@localhost";

    /// <summary>How long one sending may take. Default: 30 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

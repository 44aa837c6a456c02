namespace MonitorConsole.Web.Hosting;

/// <summary>How the console sits on the network: the proxies it believes, and whether plain HTTP is tolerated.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>
    /// Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed. Default: none
    /// besides loopback (127.0.0.0/8 and ::1), i.e. a proxy on the same machine. Headers from anyone else are ignored,
    /// so a client cannot claim to have come over HTTPS or from another address.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of believed proxies in CIDR form (10.0.0.0/24). Default: none besides loopback.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// Outside Development the console answers plain HTTP with a page saying how to serve it over HTTPS (health and
    /// metrics excepted), and its cookies are HTTPS-only. True allows plain HTTP and lets cookies travel in clear: for
    /// a trial on a private network only. Default: false.
    /// </summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>Whether requests and cookies must be HTTPS: in Production and Staging unless plain HTTP is allowed.</summary>
    public bool RequiresHttps(IHostEnvironment environment) => (environment.IsProduction() || environment.IsStaging()) && !AllowPlainHttp;

    /// <summary>Data-protection keys (sessions, antiforgery tokens) are encrypted at rest with this certificate when set.</summary>
    public DataProtectionCertificateOptions DataProtectionCertificate { get; set; } = new();
}

/// <summary>A PFX (PKCS#12) certificate with its private key, used to encrypt the data-protection keys in the database.</summary>
public sealed class DataProtectionCertificateOptions
{
    /// <summary>Path of the .pfx file. Default: none — keys are stored unencrypted, readable to whoever reads the database.</summary>
    public string? Path { get; set; }

    public string? Password { get; set; }

    /// <summary>Earlier certificates (same password), kept so keys encrypted before a rotation still decrypt.</summary>
    public string[] PreviousPaths { get; set; } = [];
}

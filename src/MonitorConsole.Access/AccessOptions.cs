using MonitorConsole.Audit;

namespace MonitorConsole.Access;

/// <summary>Accounts, sign-in and API keys, bound from the "Access" configuration section.</summary>
public sealed class AccessOptions
{
    /// <summary>
    /// An administrator created at start-up when there is no account yet (Access:BootstrapAdmin:UserName and
    /// :Password, e.g. from environment variables). Default: none; there is never a built-in password. The CLI's
    /// <c>users add --role Admin</c> does the same from a shell.
    /// </summary>
    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    /// <summary>Shortest password accepted. Default: 12 characters (length over composition rules).</summary>
    public int MinimumPasswordLength { get; set; } = 12;

    /// <summary>Failed sign-ins in a row before the account is locked. Default: 5.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked. Default: 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Requests per minute a new API key may make, unless it is created with its own figure. Default: 600.</summary>
    public int ApiKeyRequestsPerMinute { get; set; } = 600;

    /// <summary>Largest request body a new API key may send, unless created with its own figure. Default: 16 MiB.</summary>
    public long ApiKeyMaxBodyBytes { get; set; } = 16 * 1024 * 1024;
}

public sealed class BootstrapAdminOptions
{
    public string? UserName { get; set; }

    public string? Password { get; set; }
}

/// <summary>Bad account or key input: names the field and the problem. Nothing was written.</summary>
public sealed class AccessInputException(string field, string problem) : InputException(field, problem);

using MonitorConsole.Audit.Chain;

namespace MonitorConsole.Web;

/// <summary>The newest verification made by this console process, shown on the overview.</summary>
public sealed class LastVerification
{
    public VerificationResult? Result { get; private set; }
    public DateTimeOffset? At { get; private set; }

    public void Record(VerificationResult result, DateTimeOffset at)
    {
        Result = result;
        At = at;
    }
}

using System.Globalization;

namespace MonitorConsole.Cli.SelfTest;

public static class CheckStatus
{
    public const string Pass = "pass";
    public const string Fail = "fail";
    public const string Skip = "skip";
}

/// <summary>One check's outcome: what it showed (pass), why it did not hold (fail), or why it could not run (skip).</summary>
public sealed record CheckResult(string Name, string Status, string Detail, double Seconds)
{
    /// <summary>`PASS  append (1 + 500 entries, 0.4 s)`, `FAIL  append: reason (0.4 s)`, `SKIP  name: reason`.</summary>
    public string Line()
    {
        var seconds = Seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        return Status switch
        {
            CheckStatus.Pass => $"PASS  {Name} ({Detail}, {seconds})",
            CheckStatus.Fail => $"FAIL  {Name}: {Detail} ({seconds})",
            _ => $"SKIP  {Name}: {Detail}",
        };
    }
}

/// <summary>The whole run, as `selftest --json` prints it.</summary>
public sealed record SelfTestReport(
    string Provider,
    string Scratch,
    bool Kept,
    int Passed,
    int Failed,
    int Skipped,
    IReadOnlyList<CheckResult> Checks);

/// <summary>A check found that the database does not do what the ledger needs.</summary>
public sealed class CheckFailedException(string reason) : Exception(reason);

/// <summary>A check could not be run here; the reason says why.</summary>
public sealed class CheckSkippedException(string reason) : Exception(reason);

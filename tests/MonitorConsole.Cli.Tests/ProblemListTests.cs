using MonitorConsole.Audit.Chain;
using MonitorConsole.Cli.Audit;

namespace MonitorConsole.Cli.Tests;

/// <summary>A terminal gets the first problems and how many more there are, not ten thousand lines.</summary>
public sealed class ProblemListTests
{
    [Fact]
    public void Describe_ListsTheFirstProblems_AndCountsTheRest()
    {
        var breaks = Enumerable.Range(1, 50)
            .Select(i => new ChainBreak(i * 2, $"id-{i}", ChainBreakKinds.SequenceGap, null, null, i * 2 - 1, "entries are missing"))
            .ToList();
        var result = new VerificationResult(false, 100, 50, [], breaks, 0, 50, false, 1, 100, null, 12);

        var lines = AuditCommands.Describe(result).Split(Environment.NewLine);

        Assert.Equal(1 + AuditCommands.ProblemsShown + 1, lines.Length);
        Assert.Contains("sequence 2 (id-1)", lines[1]);
        Assert.Equal("  … and 30 more problems (the counts above are exact; --json lists up to 50)", lines[^1]);
    }
}

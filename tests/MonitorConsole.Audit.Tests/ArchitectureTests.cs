using System.Text.RegularExpressions;

namespace MonitorConsole.Audit.Tests;

/// <summary>Dependencies point one way: between projects (Web, Cli → Monitoring → Access → Audit; Drift alone), and inside the ledger (Chain → Queries → Storage).</summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MonitorConsole.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MonitorConsole.sln not found above the test binaries");
    }

    private static IEnumerable<string> ProjectReferences(string project) =>
        ProjectReference().Matches(File.ReadAllText(Path.Combine(Root, "src", project, project + ".csproj")))
            .Select(m => Path.GetFileNameWithoutExtension(m.Groups[1].Value.Replace('\\', '/')));

    [Theory]
    [InlineData("MonitorConsole.Audit", new string[0])]
    [InlineData("MonitorConsole.Drift", new string[0])]
    [InlineData("MonitorConsole.Access", new[] { "MonitorConsole.Audit" })]
    [InlineData("MonitorConsole.Monitoring", new[] { "MonitorConsole.Access", "MonitorConsole.Drift" })]
    public void Projects_ReferenceOnlyTheLayersBelowThem(string project, string[] expected) =>
        Assert.Equal(expected.Order(), ProjectReferences(project).Order());

    [Theory]
    [InlineData("Storage")]
    [InlineData("Queries")]
    public void LedgerStorageAndQueries_DoNotDependOnTheChainFolder(string folder)
    {
        var chainTypes = Directory.GetFiles(Path.Combine(Root, "src", "MonitorConsole.Audit", "Chain"), "*.cs")
            .SelectMany(f => TypeDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        Assert.NotEmpty(chainTypes);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "src", "MonitorConsole.Audit", folder), "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("MonitorConsole.Audit.Chain", text);
            var used = chainTypes.Where(t => Regex.IsMatch(text, $@"\b{t}\b")).ToList();
            Assert.True(used.Count == 0, $"{Path.GetFileName(file)} uses {string.Join(", ", used)} from Chain/");
        }
    }

    [GeneratedRegex("""<ProjectReference Include="([^"]+)" """)]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+([A-Z]\w+)")]
    private static partial Regex TypeDeclaration();
}

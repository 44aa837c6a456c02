using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using MonitorConsole.Access;
using MonitorConsole.Audit.Queries;
using MonitorConsole.Audit.Storage;
using MonitorConsole.Monitoring.Storage;

namespace MonitorConsole.Audit.Tests;

/// <summary>
/// No SQL Server runs here, so what the ledger would send it is parsed as T-SQL (ScriptDom's SQL Server 2022 parser):
/// every statement of the SQL Server dialect, found by enumerating <see cref="LedgerSql"/> — the only place the
/// ledger's ADO.NET code gets its SQL — with the WHERE conditions the trail filter really builds, and the migration
/// scripts. This proves syntax, not behaviour: that needs MONITORCONSOLE_TEST_SQLSERVER (SqlServerLedgerTests).
/// </summary>
public sealed class SqlServerDialectTests
{
    /// <summary>Built-in functions the statements may call; anything else (substr, say) would be a missing user function.</summary>
    private static readonly HashSet<string> BuiltIns = new(StringComparer.OrdinalIgnoreCase)
    {
        "COUNT", "COUNT_BIG", "MIN", "MAX", "LEFT", "SUBSTRING", "REPLICATE", "LOWER",
    };

    public static async Task<IReadOnlyList<(string Member, string Sql)>> LedgerStatementsAsync()
    {
        var sql = LedgerSql.For(DatabaseProvider.SqlServer);
        var wheres = await RealWhereConditionsAsync();
        var statements = new List<(string, string)>();
        foreach (var property in typeof(LedgerSql).GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(p => p.PropertyType == typeof(string)))
        {
            if (property.GetValue(sql) is string text) statements.Add((property.Name, text));
        }
        foreach (var method in typeof(LedgerSql).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                     .Where(m => m.ReturnType == typeof(string) && !m.IsSpecialName))
        {
            foreach (var arguments in Arguments(method, wheres, sql))
                if (method.Invoke(sql, arguments) is string text) statements.Add(($"{method.Name}({string.Join(", ", arguments)})", text));
        }
        return statements;
    }

    /// <summary>Sample arguments per parameter: every real WHERE condition for "where", limits, a parameter name.</summary>
    private static IEnumerable<object?[]> Arguments(MethodInfo method, IReadOnlyList<string> wheres, LedgerSql sql)
    {
        var parameters = method.GetParameters();
        if (parameters.Length == 0) return [[]];
        if (parameters.Length == 1 && parameters[0].Name == "where") return wheres.Select(w => new object?[] { w });
        if (parameters.Length == 2 && parameters[0].Name == "where") return wheres.Select(w => new object?[] { w, 51 });
        if (parameters.Length == 1 && parameters[0].Name == "rows") return [[1], [sql.RowsPerInsert]];
        if (parameters.Length == 1 && parameters[0].ParameterType == typeof(int?)) return [[null], [262_144]];
        if (parameters.Length == 1 && parameters[0].ParameterType == typeof(int)) return [[30]];
        if (parameters.Length == 1 && parameters[0].ParameterType == typeof(string)) return [["@hash"]];
        throw new InvalidOperationException($"LedgerSql.{method.Name}: no sample arguments for its parameters; add them here");
    }

    /// <summary>WHERE conditions as the trail filter builds them: plain, with every field, with rolled-back ranges.</summary>
    private static Task<IReadOnlyList<string>> RealWhereConditionsAsync()
    {
        var ranges = new RolledBackRanges([new SequenceRange(5, 9), new SequenceRange(20, 30)]);
        var full = new TrailFilter { Actor = "alice", Action = "DEPLOY", ResourceType = "model", ResourceId = "credit", Text = "loans 2024", From = DateTime.UnixEpoch };
        var spellings = new Dictionary<string, IReadOnlyList<string>> { ["actor"] = ["Alice", "ALICE"] };
        var wheres = new List<string>();
        foreach (var (filter, rolledBack) in new[] { (TrailFilter.All, RolledBackRanges.None), (full, ranges), (TrailFilter.All with { IncludeRolledBack = true }, ranges) })
            wheres.Add(filter.WhereSql(new SqlParameters(), rolledBack, new SequenceBounds(3, 70), 40, spellings));
        return Task.FromResult<IReadOnlyList<string>>(wheres);
    }

    [Fact]
    public async Task EveryLedgerStatement_ParsesAsTSql_AndCallsOnlyBuiltInFunctions()
    {
        var statements = await LedgerStatementsAsync();
        Assert.True(statements.Count >= 30, $"only {statements.Count} statements found: is LedgerSql still enumerated?");
        foreach (var (member, sql) in statements)
        {
            var errors = Parse(sql, out var fragment);
            Assert.True(errors.Count == 0, $"{member}: {string.Join("; ", errors.Select(e => $"{e.Message} at {e.Offset}"))}\n{sql}");
            var calls = new FunctionCalls();
            fragment.Accept(calls);
            Assert.All(calls.Names, name => Assert.True(BuiltIns.Contains(name), $"{member} calls {name}, not a T-SQL built-in:\n{sql}"));
        }
    }

    [Fact]
    public async Task TheDialectSendsNoOtherDatabasesSyntax()
    {
        foreach (var (member, sql) in await LedgerStatementsAsync())
        {
            Assert.DoesNotContain(" LIMIT ", sql, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("substr(", sql, StringComparison.OrdinalIgnoreCase);
            Assert.False(sql.Contains('$'), $"{member} has a $ placeholder (Npgsql's):\n{sql}");
        }
    }

    [Fact]
    public void TheWriterTakesAnApplockOwnedByTheTransaction_AndFailsWhenItCannot()
    {
        var locked = LedgerSql.For(DatabaseProvider.SqlServer).LockedHead(7);
        Assert.Contains("sp_getapplock", locked);
        Assert.Contains("@LockOwner = 'Transaction'", locked);
        Assert.Contains("@LockTimeout = 7000", locked);
        Assert.Contains("THROW", locked);
        Assert.Empty(Parse(locked, out _));
    }

    [Fact]
    public void AMultiRowInsert_StaysUnderSqlServersParameterLimit()
    {
        var sql = LedgerSql.For(DatabaseProvider.SqlServer);
        Assert.True(sql.RowsPerInsert * LedgerSql.EntryColumnCount <= 2100);
        Assert.Contains($"@p{sql.RowsPerInsert * LedgerSql.EntryColumnCount})", sql.Insert(sql.RowsPerInsert));
    }

    [Fact]
    public void EveryMigrationCommand_ParsesAsTSql()
    {
        var commands = MigrationScriptTests.CommandsFor("mssql://sa:secret@sqlserver.example:1433/monitorconsole");
        Assert.True(commands.Count > 20, $"only {commands.Count} migration commands found");
        foreach (var command in commands)
        {
            var errors = Parse(command, out _);
            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Message} at line {e.Line}: {Line(command, e.Line)}")) + "\n" + command);
        }
    }

    private static string Line(string text, int line) => text.Split('\n').ElementAtOrDefault(line - 1)?.Trim() ?? "";

    private static IList<ParseError> Parse(string sql, out TSqlFragment fragment)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        fragment = parser.Parse(reader, out var errors);
        return errors;
    }

    private sealed class FunctionCalls : TSqlFragmentVisitor
    {
        public List<string> Names { get; } = [];

        public override void Visit(FunctionCall node) => Names.Add(node.FunctionName.Value);
    }
}

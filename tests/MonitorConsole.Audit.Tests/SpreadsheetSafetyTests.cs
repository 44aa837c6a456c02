using CsCheck;
using MonitorConsole.Audit.Export;

namespace MonitorConsole.Audit.Tests;

public sealed class SpreadsheetSafetyTests
{
    private static readonly Gen<string> Cells = Gen.Frequency(
        (3, (IGen<string>)Gen.String),
        (2, Gen.Select(Gen.Char["=+-@\t\r'"], Gen.String, (first, rest) => first + rest)),
        (1, Gen.Char["=+-@\t\r' a"].Array[0, 4].Select(c => new string(c))));

    [Fact]
    public void EscapedCells_NeverStartAFormula_AndUnescapeToTheOriginal() =>
        Cells.Sample(cell =>
        {
            var escaped = SpreadsheetSafety.Escape(cell)!;
            Assert.False(escaped.Length > 0 && "=+-@\t\r".Contains(escaped[0]), $"'{escaped}' would run as a formula");
            Assert.Equal(cell, SpreadsheetSafety.Unescape(escaped));
        }, iter: 5_000);
}

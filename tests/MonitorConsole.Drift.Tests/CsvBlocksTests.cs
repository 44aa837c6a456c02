using System.Globalization;
using System.Text;

namespace MonitorConsole.Drift.Tests;

/// <summary>A CSV read in many blocks in parallel reads exactly as one front-to-back pass would.</summary>
public sealed class CsvBlocksTests
{
    private static ColumnBuilder[] Read(string csv, int blockSize, CsvColumnRules? rules = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return new CsvColumnsReader("test.csv", blockSize).ReadAsync(stream, rules ?? new CsvColumnRules()).GetAwaiter().GetResult();
    }

    private static string Rows(int count, Func<int, string> row, string header = "x,c")
    {
        var text = new StringBuilder(header).Append('\n');
        for (var i = 0; i < count; i++) text.Append(row(i)).Append('\n');
        return text.ToString();
    }

    [Fact]
    public void ManyBlocks_KeepEveryRowInOrder_NumbersAndCategories()
    {
        var csv = Rows(50_000, i => $"{i * 0.5},{(i % 7 == 0 ? "\"a,b\"" : $"k{i % 5}")}");

        var columns = Read(csv, blockSize: 1024);

        Assert.Equal(50_000, columns[0].Count);
        Assert.True(columns[0].IsNumeric);
        Assert.Equal(Enumerable.Range(0, 50_000).Select(i => i * 0.5), columns[0].Numbers.ToArray());
        var labels = columns[1].ToColumn().AsCategories();
        Assert.Equal(Enumerable.Range(0, 50_000).Select(i => i % 7 == 0 ? "a,b" : $"k{i % 5}"), labels);
    }

    [Fact]
    public void AutoColumn_TurnsToCategories_WhenOnlyALaterBlockHasText()
    {
        var csv = Rows(20_000, i => $"{(i == 19_000 ? "red" : (i % 3).ToString(CultureInfo.InvariantCulture))},1");

        var column = Read(csv, blockSize: 512)[0].ToColumn().AsCategories();

        Assert.Equal("red", column[19_000]);
        Assert.Equal("2", column[2]);
        Assert.Equal("1", column[19_999]);
    }

    [Fact]
    public void BadValues_ReportTheFirstBadRowOfTheFile_WhateverBlockFinishesFirst()
    {
        var csv = Rows(30_000, i => i is 12_345 or 27_000 ? "n/a,1" : $"{i},1");
        var rules = new CsvColumnRules
        {
            Modes = names => [ColumnMode.Numeric, ColumnMode.Numeric],
            Refused = (row, column, _, value) => new InvalidDataException($"row {row}, column {column}: {Encoding.UTF8.GetString(value)}"),
        };

        var error = Assert.Throws<InvalidDataException>(() => Read(csv, blockSize: 256, rules));

        Assert.Equal("row 12346, column x: n/a", error.Message);
    }

    [Fact]
    public void RowNumbers_CountDataRowsOnly_AcrossBlankLinesAndQuotedLineBreaks()
    {
        var csv = "x,c\n\n" + Rows(5_000, i => i == 4_000 ? "1,2,3" : i % 100 == 0 ? $"{i},\"two\nlines\"" : $"{i},a", header: "").TrimStart('\n') + "\r\n\r\n";

        var error = Assert.Throws<DriftInputException>(() => Read(csv, blockSize: 300));

        Assert.Contains("row 4001 has 3 fields, the header has 2", error.Problem);
    }

    [Fact]
    public void TooManyRows_IsRefusedWithTheCallersError()
    {
        var rules = new CsvColumnRules { MaxRows = 1_000, TooManyRows = () => new InvalidOperationException("more than 1,000 rows") };

        Assert.Equal("more than 1,000 rows", Assert.Throws<InvalidOperationException>(() => Read(Rows(1_001, i => $"{i},a"), 128, rules)).Message);
        Assert.Equal(1_000, Read(Rows(1_000, i => $"{i},a"), 128, rules)[0].Count);
    }

    [Fact]
    public void HeaderOnly_HasNoRows_AndNothingAtAll_HasNoHeader()
    {
        Assert.Equal(0, Read("a,b\n", 64)[0].Count);
        Assert.Contains("no header row", Assert.Throws<DriftInputException>(() => Read("\n\r\n", 64)).Problem);
    }
}

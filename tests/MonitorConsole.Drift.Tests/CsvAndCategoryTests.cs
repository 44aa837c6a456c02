using System.Text;

namespace MonitorConsole.Drift.Tests;

public sealed class CsvAndCategoryTests
{
    private static Dictionary<string, FeatureColumn> Load(string csv, int blockSize = 1 << 20, CsvColumnRules? rules = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var columns = new CsvColumnsReader("test.csv", blockSize).ReadAsync(stream, rules ?? new CsvColumnRules()).GetAwaiter().GetResult();
        return columns.ToDictionary(b => b.Name, b => b.ToColumn());
    }

    [Theory]
    [InlineData(1 << 20)]
    [InlineData(4)] // records and quoted fields split across every block boundary
    [InlineData(24)]
    public void Rfc4180_QuotedFieldsWithCommasQuotesAndLineBreaks_CrLfAndBlankLines(int blockSize)
    {
        var columns = Load("\uFEFFname,\"note\",n\r\n\"Smith, J\",\"said \"\"hi\"\"\r\nthen left\",1\r\n\r\nplain,,2.5\n\"\",x,\n", blockSize);

        Assert.Equal(new string?[] { "Smith, J", "plain", null }, columns["name"].AsCategories().AsEnumerable());
        Assert.Equal(new string?[] { "said \"hi\"\r\nthen left", null, "x" }, columns["note"].AsCategories().AsEnumerable());
        Assert.Equal([1, 2.5, double.NaN], columns["n"].Numbers!);
    }

    [Fact]
    public void BadCsv_NamesTheRow()
    {
        Assert.Contains("row 2 has 3 fields, the header has 2", Assert.Throws<DriftInputException>(() => Load("a,b\n1,2\n3,4,5\n")).Problem);
        Assert.Contains("quoted field that never ends", Assert.Throws<DriftInputException>(() => Load("a,b\n1,\"open\n")).Problem);
        Assert.Contains("text after a closing quote", Assert.Throws<DriftInputException>(() => Load("a,b\n1,\"x\"y\n")).Problem);
        Assert.Contains("twice", Assert.Throws<DriftInputException>(() => Load("a,a\n1,2\n")).Problem);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1.0", "1")]
    [InlineData(" 1e0 ", "1")]
    [InlineData("0.10", "0.1")]
    [InlineData("-0", "-0")]
    [InlineData("1e21", "1E+21")]
    [InlineData(" red ", "red")]
    [InlineData("NaN", null)]
    [InlineData("", null)]
    [InlineData("-inf", null)]
    public void NumericCategories_HaveOneCanonicalText(string text, string? expected)
    {
        Assert.Equal(expected, FeatureColumn.CanonicalCategory(text));
        var builder = new ColumnBuilder("c", ColumnMode.Categorical);
        builder.Add(Encoding.UTF8.GetBytes(text));
        Assert.Equal(expected, builder.ToColumn().AsCategories()[0]);
    }

    [Fact]
    public void AutoColumn_TurnsToCategoriesAtTheFirstText_KeepingEarlierNumbersAsTheirCanonicalText()
    {
        var builder = new ColumnBuilder("c", ColumnMode.Auto);
        foreach (var v in new[] { "1.0", "", "2", "red", "1" }) builder.Add(Encoding.UTF8.GetBytes(v));
        Assert.False(builder.IsNumeric);
        Assert.Equal(new string?[] { "1", null, "2", "red", "1" }, builder.ToColumn().AsCategories().AsEnumerable());
    }

    [Fact]
    public void NumericColumn_RefusesTextAndInfiniteNumbers_ButTakesMissingOnes()
    {
        var builder = new ColumnBuilder("c", ColumnMode.Numeric);
        Assert.Equal(ValueProblem.NotANumber, builder.Add("n/a"u8));
        Assert.Equal(ValueProblem.NotFinite, builder.Add("1e999"u8));
        Assert.Equal(ValueProblem.None, builder.Add("inf"u8));
        Assert.Equal(ValueProblem.None, builder.Add(" 3 "u8));
        Assert.Equal([double.NaN, 3], builder.Numbers.ToArray());
    }

    [Fact]
    public void CsvDataset_GivesTheSameReportAsTextColumns()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 2000).Select(_ => (Age: Math.Round(random.NextDouble() * 60, 3), Segment: random.Next(4))).ToList();
        var csv = "age,segment\n" + string.Join('\n', rows.Select(r => $"{r.Age.ToString(System.Globalization.CultureInfo.InvariantCulture)},{r.Segment}.0"));
        var baselineCsv = "age,segment\n" + string.Join('\n', Enumerable.Range(0, 1000).Select(i => $"{i % 50},{i % 4}"));
        var options = new DriftDetectorOptions { Categorical = new HashSet<string> { "segment" } };

        var fromCsv = new DriftDetector(Load(baselineCsv), options).Compute(Load(csv));
        var texts = new Dictionary<string, FeatureColumn>
        {
            ["age"] = FeatureColumn.Text([.. rows.Select(r => r.Age.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
            ["segment"] = FeatureColumn.Text([.. rows.Select(r => $"{r.Segment}")]),
        };
        var fromText = new DriftDetector(Load(baselineCsv), options).Compute(texts);

        foreach (var name in new[] { "age", "segment" })
        {
            var a = fromCsv.Features[name];
            var b = fromText.Features[name];
            Assert.Equal((a.Psi, a.Kl, a.Js, a.Wasserstein, a.KsStatistic, a.Chi2Statistic), (b.Psi, b.Kl, b.Js, b.Wasserstein, b.KsStatistic, b.Chi2Statistic));
        }
    }

    [Fact]
    public void ShortDecimalFastPath_GivesExactlyWhatDoubleParseGives()
    {
        var random = new Random(11);
        var texts = new List<string> { "0", "-0", "0.1", "0.3", "123456789012345", "9.99999999999999", ".5", "-.25", "000.000" };
        for (var i = 0; i < 200_000; i++)
        {
            var digits = random.Next(1, 16);
            var text = random.NextInt64(0, (long)Math.Pow(10, digits)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var point = random.Next(0, text.Length);
            texts.Add((random.Next(2) == 0 ? "-" : "") + (point == 0 ? text : text[..point] + "." + text[point..]));
        }
        foreach (var text in texts)
        {
            Assert.True(ColumnBuilder.TryParseShortDecimal(Encoding.ASCII.GetBytes(text), out var fast), text);
            var exact = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(BitConverter.DoubleToInt64Bits(exact) == BitConverter.DoubleToInt64Bits(fast), $"{text}: {fast:R} vs {exact:R}");
        }
        Assert.False(ColumnBuilder.TryParseShortDecimal("1e5"u8, out _));
        Assert.False(ColumnBuilder.TryParseShortDecimal("1234567890123456"u8, out _));
        Assert.False(ColumnBuilder.TryParseShortDecimal(" 1"u8, out _));
    }
}

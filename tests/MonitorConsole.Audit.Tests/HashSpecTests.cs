using MonitorConsole.Audit.Chain;

namespace MonitorConsole.Audit.Tests;

public sealed class HashSpecTests
{
    // Vectors computed by an independent implementation of the spec (Python hashlib), published in docs/hash-chain.md.
    private const string Vector1Data = """{"config":{"threshold":0.85}}""";
    private const string Vector1DataHash = "296377e4eb850c8a4c5b54c235114b56d0f8d62944ca25284bfe423a008eb564";
    private const string Vector1EntryHash = "6e26c813fcc3527ffae87c0cd0e5fe2d0dea276c003095168be2613be0af573e";

    [Fact]
    public void DataHash_MatchesPublishedVector() =>
        Assert.Equal(Vector1DataHash, HashSpec.ComputeDataHash(Vector1Data));

    [Fact]
    public void EntryHash_MatchesPublishedVector_ForFirstEntry()
    {
        var canonical = HashSpec.CanonicalJson(1, "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b", "2026-01-30T12:00:00.123456Z",
            "UPDATE", "data_scientist_1", "model", "model_prod_v2", Vector1DataHash,
            """{"reason":"Threshold optimization"}""", HashSpec.GenesisHash);
        Assert.Equal(
            """{"action":"UPDATE","actor":"data_scientist_1","data_hash":"296377e4eb850c8a4c5b54c235114b56d0f8d62944ca25284bfe423a008eb564","details":"{\"reason\":\"Threshold optimization\"}","entry_id":"0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b","previous_hash":"0000000000000000000000000000000000000000000000000000000000000000","resource_id":"model_prod_v2","resource_type":"model","sequence":1,"timestamp":"2026-01-30T12:00:00.123456Z"}""",
            canonical);
        Assert.Equal(Vector1EntryHash, HashSpec.ComputeEntryHash(1, "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6a7b",
            "2026-01-30T12:00:00.123456Z", "UPDATE", "data_scientist_1", "model", "model_prod_v2", Vector1DataHash,
            """{"reason":"Threshold optimization"}""", HashSpec.GenesisHash));
    }

    [Fact]
    public void EntryHash_MatchesPublishedVector_WithEscapesNullsAndNonAscii()
    {
        const string data = "{\"text\":\"line1\\nline2 é \u2028 😀\"}";
        var dataHash = HashSpec.ComputeDataHash(data);
        Assert.Equal("fcbd305187bb4c05ca9b83638307807b7f2885ab1a558c57ff860eea2dae830d", dataHash);
        const string actor = "Zoë \"q\" \\ \t\u0001\u007f";
        var canonical = HashSpec.CanonicalJson(2, "0190a5b2-7c3e-7000-9abc-def012345678", "2026-01-30T12:00:01.000000Z",
            "NOTE", actor, "model", null, dataHash, null, Vector1EntryHash);
        Assert.Contains("\"actor\":\"Zoë \\\"q\\\" \\\\ \\t\\u0001\u007f\"", canonical);
        Assert.Contains("\"details\":null", canonical);
        Assert.Contains("\"resource_id\":null", canonical);
        Assert.Equal("64eb47ccfb880fcee003ce0abf8823cb6a1f98b8d94458173b4370cad0f56f39",
            HashSpec.ComputeEntryHash(2, "0190a5b2-7c3e-7000-9abc-def012345678", "2026-01-30T12:00:01.000000Z", "NOTE",
                actor, "model", null, dataHash, null, Vector1EntryHash));
    }

    [Theory]
    [InlineData("\b", "\\b")]
    [InlineData("\f", "\\f")]
    [InlineData("\n", "\\n")]
    [InlineData("\r", "\\r")]
    [InlineData("\t", "\\t")]
    [InlineData("\u001f", "\\u001f")]
    [InlineData("\u0000", "\\u0000")]
    [InlineData("/", "/")]
    [InlineData("<>&'", "<>&'")]
    [InlineData("\u00e9\u4e2d", "\u00e9\u4e2d")]
    public void CanonicalJson_EscapesOnlyQuoteBackslashAndControlCharacters(string raw, string escaped)
    {
        var canonical = HashSpec.CanonicalJson(1, "id", "t", raw, "a", "r", null, "d", null, "p");
        Assert.StartsWith("{\"action\":\"" + escaped + "\",", canonical);
    }

    [Fact]
    public void Timestamp_IsTruncatedToMicrosecondsAndWrittenWithSixDigits()
    {
        var t = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1_234_567);
        var truncated = HashSpec.TruncateToMicroseconds(t);
        Assert.Equal("2026-03-04T05:06:07.123456Z", HashSpec.FormatTimestamp(truncated));
        Assert.True(HashSpec.TryParseTimestamp("2026-03-04T05:06:07.123456Z", out var parsed));
        Assert.Equal(truncated, parsed);
        Assert.Equal(DateTimeKind.Utc, parsed.Kind);
    }
}

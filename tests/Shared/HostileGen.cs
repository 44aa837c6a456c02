using System.Globalization;
using System.Text;
using CsCheck;

namespace MonitorConsole.Tests.Shared;

/// <summary>
/// Generators of hostile input for the fuzz suites: odd and malicious strings, malformed and deeply nested JSON,
/// invalid UTF-8, and the like. Shared by source between test projects.
/// </summary>
public static class HostileGen
{
    public static readonly string[] Nasty =
    [
        "", " ", "\0", "a\0b", "\ud800", "\udc00x", "x\ud83d", "'; DROP TABLE audit_entries; --", "\" OR 1=1 --",
        "<script>alert(1)</script>", "javascript:alert(1)", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
        "NaN", "Infinity", "-Infinity", "1e999", "-0", "\u202Egnp.exe", "💥🔥", "\r\n", "../../etc/passwd", "%00", "{{7*7}}",
        "${jndi:ldap://x/a}", "\u0000\u0001\u001f", "null", "true", "[]", "{}", "ROLLBACK", "rollback", "\\", "\"", "'",
        "\uFEFF", "\u200B", "Ω≈ç√∫", "𝕏𝕐", new string('a', 129), new string('é', 300),
    ];

    /// <summary>A string that is random, nasty, or long.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (3, (IGen<string>)Gen.String),
        (4, Gen.OneOf(Nasty)),
        (1, Gen.Int[1_000, 40_000].Select(n => new string('x', n))),
        (2, Gen.Char[(char)0, (char)0xFFFF].Array[0, 12].Select(c => new string(c))));

    /// <summary>A JSON string literal for the text, escaping as a sloppy client might (lone surrogates stay escaped).</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c < 0x20 || char.IsSurrogate(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    public static readonly Gen<string> Number = Gen.Frequency(
        (3, (IGen<string>)Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999")),
        (2, Gen.OneOf("NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-400", "-0", "01", "1.", ".5", "0x10", "+1")));

    /// <summary>Any JSON-ish value (sometimes not valid JSON), nested up to <paramref name="depth"/>.</summary>
    public static Gen<string> Value(int depth) => depth <= 0
        ? Gen.OneOf(Number, Text.Select(Literal), Gen.OneOf("true", "false", "null"))
        : Gen.Frequency(
            (4, Value(0)),
            (1, Value(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (1, Gen.Select(Text.Select(Literal).Array[0, 4], Value(depth - 1).Array[4],
                (keys, values) => "{" + string.Join(",", keys.Select((k, i) => k + ":" + values[i])) + "}")));

    /// <summary>Arrays or objects nested far deeper than any parser allows by default.</summary>
    public static readonly Gen<string> DeeplyNested = Gen.Select(Gen.Int[65, 5_000], Gen.Bool,
        (n, arrays) => arrays ? new string('[', n) + new string(']', n) : string.Concat(Enumerable.Repeat("{\"a\":", n)) + "1" + new string('}', n));

    /// <summary>An audit entry object whose every field may be right, missing, mistyped or hostile.</summary>
    public static readonly Gen<string> Entry = Gen.Select(Field("action"), Field("actor"), Field("resource_type"), Field("resource_id"), Field("data"), Field("details"),
        (a, b, c, d, e, f) => "{" + string.Join(",", new[] { a, b, c, d, e, f }.Where(x => x.Length > 0)) + "}");

    private static Gen<string> Field(string name) => Gen.Frequency(
        (4, Gen.OneOf("UPDATE", "model", "alice", "m1").Select(v => $"\"{name}\":\"{v}\"")),
        (3, Text.Select(t => $"\"{name}\":{Literal(t)}")),
        (2, Value(3).Select(v => $"\"{name}\":{v}")),
        (1, Gen.Const("")));

    /// <summary>Bytes of a request body: entries, arrays of them, junk, truncation, invalid UTF-8, BOMs.</summary>
    public static readonly Gen<byte[]> Body = Gen.Frequency(
        (5, Entry.Select(Utf8)),
        (2, Entry.Array[0, 6].Select(es => Utf8("[" + string.Join(",", es) + "]"))),
        (1, DeeplyNested.Select(Utf8)),
        (1, Value(4).Select(Utf8)),
        (1, Gen.Select(Entry, Gen.Double[0, 1]).Select((e, cut) => Utf8(e[..(int)(e.Length * cut)]))),
        (1, Gen.Select(Entry, Gen.Byte.Array[1, 4]).Select((e, junk) => InsertBytes(Utf8(e), junk))),
        (1, Gen.OneOf<byte[]>([0xC3, 0x28], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], [0x00])),
        (1, Gen.Byte.Array[0, 200]));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] InsertBytes(byte[] body, byte[] junk)
    {
        var at = body.Length / 2;
        return [.. body[..at], .. junk, .. body[at..]];
    }
}

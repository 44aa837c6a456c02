using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MonitorConsole.Web.Access;

/// <summary>
/// Where a sign-in may send someone afterwards: a path on this site and nothing else. Every sign-in path — the
/// password form, the OpenID Connect challenge and its return, the setup page — goes through <see cref="Sanitize"/>,
/// so a crafted link cannot use the console to send a person to another site.
/// </summary>
public static class LocalRedirect
{
    /// <summary>Where a refused return URL leads instead.</summary>
    public const string Home = "/";

    /// <summary>Longer return URLs are refused: the console's own links are far shorter.</summary>
    public const int MaxLength = 2048;

    /// <summary>How many rounds of percent-decoding are looked through before a value counts as obfuscated.</summary>
    private const int DecodingRounds = 3;

    /// <summary>The URL when it is a local path, otherwise <see cref="Home"/>.</summary>
    public static string Sanitize(string? url) => IsLocal(url) ? url : Home;

    /// <summary>
    /// True for a path on this site: it starts with one '/', not followed by another '/' or a '\' (which browsers read
    /// as "another host"), and has no backslash, control or invisible formatting character anywhere — checked in the
    /// value as given and in each percent-decoded form of it, so "/%09/evil" or "/%2F%2Fevil" are refused too.
    /// Absolute URLs ("http://x", "javascript:…") and relative ones without a leading '/' are refused.
    /// </summary>
    public static bool IsLocal([NotNullWhen(true)] string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength) return false;
        var text = url;
        for (var round = 0; round < DecodingRounds; round++)
        {
            if (!IsPlainLocalPath(text)) return false;
            var decoded = Uri.UnescapeDataString(text);
            if (decoded == text) return true;
            text = decoded;
        }
        // Still changing after several rounds of decoding: nothing the console links to looks like that.
        return false;
    }

    private static bool IsPlainLocalPath(string text) =>
        text.Length > 0 && text[0] == '/' && (text.Length == 1 || text[1] is not ('/' or '\\')) && !text.Any(IsRefused);

    private static bool IsRefused(char c) =>
        c == '\\' || char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}

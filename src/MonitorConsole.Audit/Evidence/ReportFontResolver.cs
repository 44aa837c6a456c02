using System.Collections.Concurrent;

using PdfSharp.Drawing;
using PdfSharp.Fonts;

namespace MonitorConsole.Audit.Evidence;

/// <summary>
/// Serves the PDF report's two families from font files found on the machine. The family names are our own, so
/// this resolver answers nothing another part of the process asks for, and nothing else answers for these.
/// </summary>
internal sealed class ReportFontResolver(ReportFontFiles files) : IFontResolver
{
    public const string SansFamily = "MonitorConsole Report Sans";
    public const string MonoFamily = "MonitorConsole Report Mono";

    private const string SansRegularFace = "report-sans";
    private const string SansBoldFace = "report-sans-bold";
    private const string MonoFace = "report-mono";

    private static readonly Lock Gate = new();
    private static ReportFontResolver? installed;
    private static string? installFailure;

    private readonly ConcurrentDictionary<string, byte[]> fontBytes = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes PDFsharp use this resolver, once per process. PDFsharp's font settings are process-wide and refuse a
    /// change after a font was used, so if something else set the resolver already we take the fallback slot, and
    /// if both are taken we say so rather than throw.
    /// </summary>
    public static bool TryInstall(out string? whyNot)
    {
        lock (Gate)
        {
            if (installed is not null || installFailure is not null)
            {
                whyNot = installFailure;
                return installed is not null;
            }

            var files = ReportFontFiles.Find(ReportFontFiles.DefaultDirectories(), out var notFound);
            if (files is null)
            {
                // Not remembered: fonts may be installed while the process runs.
                whyNot = notFound;
                return false;
            }

            var resolver = new ReportFontResolver(files);
            try
            {
                if (GlobalFontSettings.FontResolver is null)
                    GlobalFontSettings.FontResolver = resolver;
                else if (GlobalFontSettings.FallbackFontResolver is null)
                    GlobalFontSettings.FallbackFontResolver = resolver;
                else
                    installFailure = "another part of this process already set both of PDFsharp's font resolvers, " +
                        "so the report's fonts cannot be added";
            }
            catch (InvalidOperationException e)
            {
                installFailure = $"PDFsharp's font settings could not take the report's fonts: {e.Message}";
            }

            if (installFailure is null)
                installed = resolver;
            whyNot = installFailure;
            return installed is not null;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (string.Equals(familyName, MonoFamily, StringComparison.Ordinal))
            return new FontResolverInfo(files.Mono is null ? SansRegularFace : MonoFace);
        if (!string.Equals(familyName, SansFamily, StringComparison.Ordinal))
            return null;
        if (!bold)
            return new FontResolverInfo(SansRegularFace);
        return files.SansBold is null
            ? new FontResolverInfo(SansRegularFace, XStyleSimulations.BoldSimulation)
            : new FontResolverInfo(SansBoldFace);
    }

    public byte[]? GetFont(string faceName)
    {
        var path = faceName switch
        {
            SansRegularFace => files.SansRegular,
            SansBoldFace => files.SansBold,
            MonoFace => files.Mono,
            _ => null,
        };
        return path is null ? null : fontBytes.GetOrAdd(faceName, _ => File.ReadAllBytes(path));
    }
}

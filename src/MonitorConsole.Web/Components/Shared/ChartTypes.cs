namespace MonitorConsole.Web.Components.Shared;

/// <summary>A point; <see cref="Link"/> is where a click on it goes (a run's report).</summary>
public sealed record ChartPoint(DateTime Time, double Value, string? Link = null);

public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

/// <summary>
/// A threshold: a dashed line at <see cref="Value"/> and a shaded band from <see cref="BandFrom"/> to
/// <see cref="BandTo"/> (null: the top of the axis). The axis always reaches past every threshold, so bands stay in view.
/// </summary>
public sealed record ChartThreshold(string Label, double Value, string Color, double BandFrom, double? BandTo);

/// <summary>A run marked on the time axis (WARNING, CRITICAL, FAILED).</summary>
public sealed record ChartMarker(DateTime Time, string Kind, string Color, string? Link = null);

/// <summary>The colours levels have on every chart.</summary>
public static class LevelColors
{
    // Dark enough amber for text on white (WCAG AA), since the legend writes the level in this colour.
    public const string Warning = "#a15c00";
    public const string Critical = "#c62828";
    public const string Failed = "#616161";

    public static string Of(string kind) => kind switch
    {
        "CRITICAL" => Critical,
        "FAILED" => Failed,
        _ => Warning,
    };
}

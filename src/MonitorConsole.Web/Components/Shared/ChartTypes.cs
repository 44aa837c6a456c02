namespace MonitorConsole.Web.Components.Shared;

public sealed record ChartPoint(DateTime Time, double Value);

public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

public sealed record ChartThreshold(string Label, double Value, string Color);

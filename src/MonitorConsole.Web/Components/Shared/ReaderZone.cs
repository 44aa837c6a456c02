namespace MonitorConsole.Web.Components.Shared;

/// <summary>The name of the cascading value that carries the reader's time zone from the layout to every time shown.</summary>
public static class ReaderZone
{
    public const string Name = "ReaderZone";
}

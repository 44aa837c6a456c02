using MudBlazor;

namespace MonitorConsole.Web.Components.Layout;

/// <summary>
/// The console's colours: calm neutrals, with warning and error kept for drift and tampering. The light palette's
/// status colours are MudBlazor's made darker, so that white text on them and their own text on their pale alert
/// backgrounds both reach WCAG AA contrast (4.5:1); the e2e accessibility scan checks it.
/// </summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b", AppbarBackground = "#1f5f8b", Secondary = "#3f6b4c",
            Success = "#2e7d32", Info = "#1565c0", Warning = "#a15c00", Error = "#c62828",
        },
        PaletteDark = new PaletteDark { Primary = "#7cb7e0", Secondary = "#8fc19c" },
    };
}

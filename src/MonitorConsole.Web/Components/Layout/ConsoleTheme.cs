using MudBlazor;

namespace MonitorConsole.Web.Components.Layout;

/// <summary>The console's colours: calm neutrals, with warning and error kept for drift and tampering.</summary>
public static class ConsoleTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1f5f8b", AppbarBackground = "#1f5f8b", Secondary = "#4a7c59" },
        PaletteDark = new PaletteDark { Primary = "#7cb7e0", Secondary = "#8fc19c" },
    };
}

using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Web.Components.Pages.Models;

/// <summary>A baseline file read and summarised but not saved yet.</summary>
public sealed record ChosenBaseline(string FileName, byte[] Bytes, BaselineSummary Summary);

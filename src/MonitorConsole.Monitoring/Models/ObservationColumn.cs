namespace MonitorConsole.Monitoring.Models;

/// <summary>How an <see cref="ObservationColumn"/> keeps its values.</summary>
public enum ObservationColumnKind
{
    /// <summary>Little-endian float64, one per row, NaN for missing.</summary>
    Numbers = 0,

    /// <summary>Little-endian int32 codes into <see cref="ObservationColumn.LabelsJson"/>, −1 for missing.</summary>
    Categories = 1,
}

/// <summary>One column of one batch of observation rows, in the compact form a run reads directly.</summary>
public sealed class ObservationColumn
{
    public long Id { get; set; }
    public long ObservationId { get; set; }
    public int Position { get; set; }
    public string Name { get; set; } = "";
    public ObservationColumnKind Kind { get; set; }
    public int Count { get; set; }
    public byte[] Data { get; set; } = [];

    /// <summary>Categories: the labels (canonical, spec v1) the codes point to, as a JSON array.</summary>
    public string? LabelsJson { get; set; }
}

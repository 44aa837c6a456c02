namespace MonitorConsole.Drift;

/// <summary>
/// Current data that is read one column at a time, so a large window is never held whole: a run keeps in memory only
/// the columns of the features being compared at that moment.
/// </summary>
public interface IColumnSource
{
    /// <summary>Rows in the window (0: a window of bias metrics or safety events only).</summary>
    int RowCount { get; }

    /// <summary>The names of every column the window has.</summary>
    IReadOnlyCollection<string> ColumnNames { get; }

    /// <summary>One column over every row of the window (rows without it are missing).</summary>
    ValueTask<FeatureColumn> ReadAsync(string name, CancellationToken ct);
}

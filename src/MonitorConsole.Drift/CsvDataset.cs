namespace MonitorConsole.Drift;

/// <summary>
/// Reads a CSV file with a header row into columns, one per header: numbers (float64) while every value of a column is
/// a number or missing, canonical category labels otherwise (spec v1, "Categories").
/// </summary>
public static class CsvDataset
{
    public static Dictionary<string, FeatureColumn> Load(string path)
    {
        if (!File.Exists(path)) throw new DriftInputException(path, "file does not exist");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Load(stream, Path.GetFileName(path));
    }

    /// <summary>Reads a stream that can be read synchronously (a file, memory); use <see cref="LoadAsync"/> for a request body.</summary>
    public static Dictionary<string, FeatureColumn> Load(Stream stream, string name) =>
        LoadAsync(stream, name).AsTask().GetAwaiter().GetResult();

    public static async ValueTask<Dictionary<string, FeatureColumn>> LoadAsync(Stream stream, string name, CancellationToken ct = default)
    {
        var columns = await new CsvColumnsReader(name).ReadAsync(stream, new CsvColumnRules(), ct);
        if (columns.Length == 0 || columns[0].Count == 0) throw new DriftInputException(name, "has no data rows");
        return columns.ToDictionary(b => b.Name, b => b.ToColumn(), StringComparer.Ordinal);
    }
}

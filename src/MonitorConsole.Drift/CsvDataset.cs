using CsvHelper;

namespace MonitorConsole.Drift;

/// <summary>Reads a CSV file with a header row into text columns, one per header.</summary>
public static class CsvDataset
{
    public static Dictionary<string, FeatureColumn> Load(string path)
    {
        if (!File.Exists(path)) throw new DriftInputException(path, "file does not exist");
        using var stream = File.OpenRead(path);
        return Load(stream, Path.GetFileName(path));
    }

    public static Dictionary<string, FeatureColumn> Load(Stream stream, string name)
    {
        using var csv = CsvReader.Create(stream, null, leaveOpen: true);
        List<string>[]? columns = null;
        string[] headers = [];
        while (csv.Read())
        {
            if (columns is null)
            {
                headers = csv.Headers.ToArray();
                if (headers.Length == 0) throw new DriftInputException(name, "has no header row");
                var duplicate = headers.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (duplicate is not null) throw new DriftInputException(name, $"has the column '{duplicate.Key}' twice");
                columns = headers.Select(_ => new List<string>()).ToArray();
            }
            if (csv.FieldCount != headers.Length)
                throw new DriftInputException(name, $"row {csv.RowNumber} has {csv.FieldCount} fields, the header has {headers.Length}");
            for (var i = 0; i < headers.Length; i++) columns[i].Add(csv.GetString(i));
        }
        if (columns is null || columns[0].Count == 0) throw new DriftInputException(name, "has no data rows");
        var result = new Dictionary<string, FeatureColumn>(StringComparer.Ordinal);
        for (var i = 0; i < headers.Length; i++) result[headers[i]] = FeatureColumn.Text([.. columns[i]]);
        return result;
    }
}

using System.Text;
using MonitorConsole.Drift;

namespace MonitorConsole.Monitoring.Ingestion;

/// <summary>
/// A CSV that arrives as a stream (request body, browser upload): read asynchronously first — a request body may not
/// be read synchronously and CSV parsing is — within a size limit, then parsed into columns. Errors name the field.
/// </summary>
public static class CsvUpload
{
    public const long DefaultMaxBytes = 64 * 1024 * 1024;

    public static async Task<(string Text, Dictionary<string, FeatureColumn> Columns)> ReadAsync(
        Stream csv, string field, long maxBytes = DefaultMaxBytes, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await csv.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new MonitoringInputException(field, $"is larger than {maxBytes / 1024 / 1024} MiB");
            buffer.Write(chunk, 0, read);
        }
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        buffer.Position = 0;
        try
        {
            return (text, await CsvDataset.LoadAsync(buffer, field, ct));
        }
        catch (DriftInputException ex)
        {
            throw new MonitoringInputException(field, ex.Problem);
        }
    }

    /// <summary>
    /// The CSV's rows as a batch of observations (feature values and outputs), as text: numbers in their canonical
    /// form, which reads back as the same number.
    /// </summary>
    public static async Task<ObservationBatch> ReadObservationsAsync(Stream csv, string field = "observations", CancellationToken ct = default)
    {
        var (_, columns) = await ReadAsync(csv, field, DefaultMaxBytes, ct);
        return new ObservationBatch(columns.ToDictionary(c => c.Key, c => c.Value.AsCategories()), [], []);
    }
}

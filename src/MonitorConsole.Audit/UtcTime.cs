using System.Globalization;

namespace MonitorConsole.Audit;

/// <summary>Times given by people and services: ISO 8601, read as UTC when they carry no offset.</summary>
public static class UtcTime
{
    public static DateTime? Parse(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : throw new AuditValidationException(field, $"'{value}' is not an ISO 8601 date or time");
    }
}

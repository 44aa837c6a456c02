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

    /// <summary>A time range's ends, either of which may be open, must not be in the wrong order.</summary>
    public static void CheckRange(DateTime? from, DateTime? to)
    {
        if (from is { } f && to is { } t && f > t) throw new AuditValidationException("from", "is after 'to'");
    }
}

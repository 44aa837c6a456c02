using System.Globalization;
using MonitorConsole.Monitoring.Models;

namespace MonitorConsole.Monitoring.Scheduling;

/// <summary>
/// A schedule in words, shown next to its cron ("weekdays at 09:00, America/New_York"). It covers the shapes people
/// write — fixed times, every hour or every N minutes, weekdays, weekends, named days, a day of the month — and says
/// "custom schedule" for the rest rather than guess.
/// </summary>
public static class ScheduleWords
{
    private static readonly string[] DayNames = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];
    private static readonly string[] DayKeys = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static string Describe(ScheduleKind kind, string? cron, string timeZone) => kind switch
    {
        ScheduleKind.Hourly => $"every hour on the hour, {timeZone}",
        ScheduleKind.Daily => $"every day at 00:00, {timeZone}",
        ScheduleKind.Weekly => $"Mondays at 00:00, {timeZone}",
        _ => $"{Custom(cron) ?? "custom schedule"}, {timeZone}",
    };

    private static string? Custom(string? cron)
    {
        var fields = cron?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: 5 }) return null;
        var (minute, hour, dayOfMonth, month, dayOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        var time = Time(minute, hour);
        var days = Days(dayOfMonth, month, dayOfWeek);
        if (time is null || days is null) return null;
        if (!time.StartsWith("every", StringComparison.Ordinal)) return $"{days} {time}";
        return days == "every day" ? time : $"{time} on {days}";
    }

    private static string? Time(string minute, string hour)
    {
        if (minute.StartsWith("*/", StringComparison.Ordinal) && hour == "*" && Number(minute[2..], 1, 59) is { } step)
            return step == 1 ? "every minute" : $"every {step} minutes";
        if (Number(minute, 0, 59) is not { } m) return minute == "*" && hour == "*" ? "every minute" : null;
        if (hour == "*") return m == 0 ? "every hour on the hour" : $"every hour at minute {m}";
        if (hour.StartsWith("*/", StringComparison.Ordinal) && Number(hour[2..], 1, 23) is { } every)
            return $"every {every} hours at minute {m}";
        var hours = hour.Split(',').Select(h => Number(h, 0, 23)).ToList();
        if (hours.Any(h => h is null)) return null;
        return "at " + Join(hours.Select(h => $"{h:00}:{m:00}").ToList());
    }

    private static string? Days(string dayOfMonth, string month, string dayOfWeek)
    {
        if (month != "*") return null;
        if (dayOfMonth != "*")
            return dayOfWeek == "*" && Number(dayOfMonth, 1, 31) is { } d ? $"on day {d} of every month" : null;
        var upper = dayOfWeek.ToUpperInvariant();
        if (upper == "*") return "every day";
        if (upper is "MON-FRI" or "1-5") return "weekdays";
        if (upper is "SAT,SUN" or "SUN,SAT" or "0,6" or "6,0") return "weekends";
        var days = upper.Split(',').Select(Day).ToList();
        return days.Any(d => d is null) ? null : Join(days.Select(d => DayNames[d!.Value]).ToList());
    }

    private static int? Day(string text)
    {
        var key = Array.IndexOf(DayKeys, text);
        if (key >= 0) return key;
        return Number(text, 0, 7) is { } n ? n % 7 : null;
    }

    private static int? Number(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    private static string Join(IReadOnlyList<string> parts) =>
        parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];
}

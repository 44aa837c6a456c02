using MonitorConsole.Monitoring.Models;
using Quartz;

namespace MonitorConsole.Monitoring.Scheduling;

/// <summary>
/// Turns a model's schedule into a cron expression in its time zone: HOURLY at the top of every hour, DAILY at
/// midnight, WEEKLY on Monday at midnight, CUSTOM from a five-field crontab (or six/seven-field Quartz) expression.
/// </summary>
public static class ScheduleCalculator
{
    public static CronExpression Expression(ScheduleKind kind, string? cron, string timeZone)
    {
        var zone = Zone(timeZone);
        var expression = kind switch
        {
            ScheduleKind.Hourly => CronExpression.Parse("0 0 * * * ?"),
            ScheduleKind.Daily => CronExpression.Parse("0 0 0 * * ?"),
            ScheduleKind.Weekly => CronExpression.Parse("0 0 0 ? * MON"),
            ScheduleKind.Custom => Custom(cron),
            _ => throw new MonitoringInputException("schedule", $"'{kind}' is not a schedule"),
        };
        return expression.WithTimeZone(zone);
    }

    public static CronExpression Expression(ModelConfig config) =>
        Expression(config.Schedule, config.Cron, config.TimeZone);

    /// <summary>The next <paramref name="count"/> run times strictly after <paramref name="after"/>, in UTC.</summary>
    public static IReadOnlyList<DateTimeOffset> NextRuns(CronExpression expression, DateTimeOffset after, int count)
    {
        var runs = new List<DateTimeOffset>(count);
        var cursor = after;
        while (runs.Count < count && expression.GetNextValidTimeAfter(cursor) is { } next)
        {
            runs.Add(next);
            cursor = next;
        }
        return runs;
    }

    /// <summary>The latest run time at or before <paramref name="now"/> after <paramref name="since"/>, if any.</summary>
    public static DateTimeOffset? LastSlotBetween(CronExpression expression, DateTimeOffset since, DateTimeOffset now)
    {
        DateTimeOffset? last = null;
        var cursor = since;
        for (var i = 0; i < 100_000 && expression.GetNextValidTimeAfter(cursor) is { } next && next <= now; i++)
        {
            last = next;
            cursor = next;
        }
        return last;
    }

    public static TimeZoneInfo Zone(string? timeZone)
    {
        if (string.IsNullOrWhiteSpace(timeZone)) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new MonitoringInputException("time_zone", $"'{timeZone}' is not a known time zone (use an IANA name such as Europe/Berlin)");
        }
    }

    private static CronExpression Custom(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron))
            throw new MonitoringInputException("schedule_cron", "a custom schedule needs a cron expression, e.g. 0 9 * * MON-FRI");
        var fields = cron.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields == 5 ? CronFormat.Unix : CronFormat.Quartz;
        try
        {
            return CronExpression.Parse(cron.Trim(), format);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // The parser's own message is written for programmers; the person gets the form a cron takes.
            throw new MonitoringInputException("schedule_cron",
                $"'{cron.Trim()}' is not a cron expression: give five fields — minute, hour, day of month, month, day of week — e.g. 0 9 * * MON-FRI for weekdays at 09:00");
        }
    }
}

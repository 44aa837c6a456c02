using Microsoft.Extensions.Time.Testing;
using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Scheduling;

namespace MonitorConsole.Monitoring.Tests;

public sealed class ScheduleTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 25, 10, 30, 0, TimeSpan.Zero));

    [Fact]
    public void Hourly_RunsAtTheTopOfEveryHour()
    {
        var runs = ScheduleCalculator.NextRuns(ScheduleCalculator.Expression(ScheduleKind.Hourly, null, "UTC"), Clock.GetUtcNow(), 3);
        Assert.Equal([At(25, 11), At(25, 12), At(25, 13)], runs);
    }

    [Fact]
    public void Weekly_RunsOnMondayAtMidnight()
    {
        var runs = ScheduleCalculator.NextRuns(ScheduleCalculator.Expression(ScheduleKind.Weekly, null, "UTC"), Clock.GetUtcNow(), 2);
        Assert.Equal([At(30, 0), new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero)], runs);
    }

    [Fact]
    public void Daily_FollowsTheZonesMidnightAcrossTheSpringDstChange()
    {
        // Europe/Berlin moves from UTC+1 to UTC+2 on 2026-03-29, so local midnight moves from 23:00 to 22:00 UTC.
        var runs = ScheduleCalculator.NextRuns(ScheduleCalculator.Expression(ScheduleKind.Daily, null, "Europe/Berlin"), Clock.GetUtcNow(), 5);
        Assert.Equal([At(25, 23), At(26, 23), At(27, 23), At(28, 23), At(29, 22)], runs);
    }

    [Fact]
    public void Custom_ReadsFiveFieldCrontab()
    {
        // 09:00 on weekdays in New York (UTC-4 in late March).
        var runs = ScheduleCalculator.NextRuns(ScheduleCalculator.Expression(ScheduleKind.Custom, "0 9 * * MON-FRI", "America/New_York"), Clock.GetUtcNow(), 3);
        Assert.Equal([At(25, 13), At(26, 13), At(27, 13)], runs);
    }

    [Theory]
    [InlineData("not a cron")]
    [InlineData("61 * * * *")]
    [InlineData("")]
    public void Custom_RejectsAnInvalidCron_NamingTheField(string cron)
    {
        var error = Assert.Throws<MonitoringInputException>(() => ScheduleCalculator.Expression(ScheduleKind.Custom, cron, "UTC"));
        Assert.Equal("schedule_cron", error.Field);
    }

    [Fact]
    public void UnknownTimeZone_IsRefused_NamingTheField()
    {
        var error = Assert.Throws<MonitoringInputException>(() => ScheduleCalculator.Expression(ScheduleKind.Daily, null, "Mars/Olympus"));
        Assert.Equal("time_zone", error.Field);
    }

    [Fact]
    public void LastSlotBetween_FindsOnlyTheNewestMissedSlot()
    {
        var hourly = ScheduleCalculator.Expression(ScheduleKind.Hourly, null, "UTC");
        Assert.Equal(At(25, 10), ScheduleCalculator.LastSlotBetween(hourly, At(25, 6).AddMinutes(5), Clock.GetUtcNow()));
        Assert.Null(ScheduleCalculator.LastSlotBetween(hourly, At(25, 10).AddMinutes(1), Clock.GetUtcNow()));
    }

    private static DateTimeOffset At(int day, int hour) => new(2026, 3, day, hour, 0, 0, TimeSpan.Zero);
}

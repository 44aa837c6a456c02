using MonitorConsole.Monitoring.Models;
using MonitorConsole.Monitoring.Scheduling;

namespace MonitorConsole.Monitoring.Tests;

public sealed class ScheduleWordsTests
{
    [Theory]
    [InlineData("0 9 * * MON-FRI", "weekdays at 09:00, America/New_York")]
    [InlineData("30 6 * * 1-5", "weekdays at 06:30, America/New_York")]
    [InlineData("0 9,17 * * *", "every day at 09:00 and 17:00, America/New_York")]
    [InlineData("*/15 * * * *", "every 15 minutes, America/New_York")]
    [InlineData("0 * * * SAT,SUN", "every hour on the hour on weekends, America/New_York")]
    [InlineData("0 8 * * MON,THU", "Mondays and Thursdays at 08:00, America/New_York")]
    [InlineData("0 2 1 * *", "on day 1 of every month at 02:00, America/New_York")]
    [InlineData("0 0 31 2 *", "custom schedule, America/New_York")]
    [InlineData("0 0 12 ? * MON", "custom schedule, America/New_York")]
    public void CustomCron_IsDescribedInWords_OrHonestlyCalledCustom(string cron, string words) =>
        Assert.Equal(words, ScheduleWords.Describe(ScheduleKind.Custom, cron, "America/New_York"));

    [Fact]
    public void BuiltInSchedules_AreDescribedWithTheirZone() =>
        Assert.Equal("Mondays at 00:00, Europe/Berlin", ScheduleWords.Describe(ScheduleKind.Weekly, null, "Europe/Berlin"));
}

using MonitorConsole.Access;

namespace MonitorConsole.Monitoring.Tests;

/// <summary>Callers with each role, for services that check permissions.</summary>
internal static class Callers
{
    public static Caller Scientist(string name = "alice") => Caller.User(name, [ConsoleRoles.DataScientist]);

    public static Caller Auditor(string name = "olivia") => Caller.User(name, [ConsoleRoles.Auditor]);

    public static Caller Admin(string name = "root") => Caller.User(name, [ConsoleRoles.Admin]);
}

using Microsoft.Extensions.Logging.Console;
using MonitorConsole.Audit;

namespace MonitorConsole.Web.Operations;

/// <summary>
/// Operations:LogFormat picks the console log formatter. Logging:Console:FormatterName works too (it is the framework's
/// own key); this one also puts UTC timestamps on every line, which a log shipper needs and journald does not add to the
/// message.
/// </summary>
internal static class ConsoleLogFormat
{
    public const string Timestamp = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z' ";

    public static void Apply(ILoggingBuilder logging, string? format)
    {
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "simple":
                return;
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = Timestamp.TrimEnd();
                });
                return;
            case "systemd":
                logging.AddSystemdConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = Timestamp;
                });
                return;
            default:
                throw new InputException($"{OperationsOptions.Section}:LogFormat", $"'{format}' is not a log format (use simple, json or systemd)");
        }
    }
}

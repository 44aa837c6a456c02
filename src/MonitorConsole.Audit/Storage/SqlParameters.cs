using System.Data.Common;
using System.Globalization;

namespace MonitorConsole.Audit.Storage;

/// <summary>Parameters collected while building SQL, applied to an ADO.NET command or a raw SQLite statement.</summary>
internal sealed class SqlParameters
{
    private readonly List<(string Name, object? Value)> _items = [];

    public IReadOnlyList<(string Name, object? Value)> Items => _items;

    /// <summary>Adds a value and returns its placeholder.</summary>
    public string Add(object? value)
    {
        var name = "@p" + _items.Count.ToString(CultureInfo.InvariantCulture);
        _items.Add((name, value));
        return name;
    }

    /// <summary>Adds a value under a name the statement already uses.</summary>
    public void Add(string name, object? value) => _items.Add((name, value));

    public void ApplyTo(DbCommand command)
    {
        foreach (var (name, value) in _items)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
    }
}

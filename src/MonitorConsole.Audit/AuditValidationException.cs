namespace MonitorConsole.Audit;

/// <summary>Bad input: names the field and the problem. Nothing was written.</summary>
public sealed class AuditValidationException(string field, string problem)
    : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}

/// <summary>A refused ledger operation (unknown hash, broken chain, ...). Nothing was written.</summary>
public sealed class AuditOperationException(string message) : Exception(message);

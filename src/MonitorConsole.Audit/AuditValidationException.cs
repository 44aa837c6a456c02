namespace MonitorConsole.Audit;

/// <summary>Bad input: names the field and the problem. Nothing was written.</summary>
public sealed class AuditValidationException(string field, string problem) : InputException(field, problem);

/// <summary>A refused ledger operation (unknown hash, broken chain, ...). Nothing was written.</summary>
public sealed class AuditOperationException(string message) : Exception(message);

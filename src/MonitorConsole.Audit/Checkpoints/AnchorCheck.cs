using System.Text.Json.Serialization;

namespace MonitorConsole.Audit.Checkpoints;

/// <summary>What checking a checkpoint's RFC 3161 token found: one <see cref="Outcome"/>, the token's time and signer when readable.</summary>
public sealed record AnchorCheck(
    [property: JsonPropertyName("outcome")] string Outcome,
    [property: JsonPropertyName("gen_time")] DateTime? GenTime,
    [property: JsonPropertyName("tsa")] string? TsaSubject,
    [property: JsonPropertyName("detail")] string Detail)
{
    /// <summary>The token covers this checkpoint's statement and is signed by a trusted TSA.</summary>
    public const string Anchored = "anchored";

    /// <summary>No token: the checkpoint was stored without one (the TSA failed or none is configured).</summary>
    public const string NotAnchored = "not_anchored";

    /// <summary>A good token, but over some other statement: it belongs to another checkpoint.</summary>
    public const string TokenMismatch = "token_mismatch";

    /// <summary>The token cannot be read, its signature fails, or its signer is not a trusted timestamping certificate.</summary>
    public const string TokenInvalid = "token_invalid";

    /// <summary>The token says the statement existed before the checkpoint says it was made (beyond the clock tolerance).</summary>
    public const string GenTimeTooEarly = "gen_time_too_early";

    /// <summary>A token is present, but no trusted TSA certificate is configured, so it was not judged.</summary>
    public const string NoTrustedTsa = "no_trusted_tsa";

    /// <summary>True for the outcomes that show something is wrong (a missing or unjudged anchor is not evidence of tampering).</summary>
    [JsonIgnore]
    public bool IsFailure => Outcome is TokenMismatch or TokenInvalid or GenTimeTooEarly;

    /// <summary>"anchored at … by …" or "not anchored (reason)": one line for lists.</summary>
    [JsonIgnore]
    public string Summary => Outcome switch
    {
        Anchored => $"anchored at {HashSpec.FormatTimestamp(GenTime!.Value)} by {TsaSubject}",
        NotAnchored => $"not anchored ({Detail})",
        _ => $"{Outcome.Replace('_', ' ')}: {Detail}",
    };
}

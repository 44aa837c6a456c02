using System.Text.Json;
using System.Text.Json.Serialization;
using MonitorConsole.Drift.Metrics;

namespace MonitorConsole.Drift;

public enum AlertLevel
{
    Normal,
    Warning,
    Critical,
}

public enum FeatureKind
{
    Numeric,
    Categorical,
}

/// <summary>
/// When a feature, a bias item or the report is WARNING or CRITICAL. PSI decides a feature's level; the optional
/// thresholds on the other metrics can only raise it.
/// </summary>
public sealed record DriftThresholds
{
    /// <summary>PSI at or above this is WARNING. Default 0.1.</summary>
    public double PsiWarning { get; init; } = 0.1;

    /// <summary>PSI at or above this is CRITICAL. Default 0.25.</summary>
    public double PsiCritical { get; init; } = 0.25;

    /// <summary>KL divergence at or above this raises the level to WARNING. Default: not used.</summary>
    public double? KlWarning { get; init; }

    /// <summary>KL divergence at or above this raises the level to CRITICAL. Default: not used.</summary>
    public double? KlCritical { get; init; }

    /// <summary>Jensen–Shannon distance at or above this raises the level to WARNING. Default: not used.</summary>
    public double? JsWarning { get; init; }

    /// <summary>Normalised Wasserstein distance at or above this raises the level to WARNING. Default: not used.</summary>
    public double? WassersteinWarning { get; init; }

    /// <summary>A KS p-value below this raises a numeric feature to WARNING. Default: not used.</summary>
    public double? KsAlpha { get; init; }

    /// <summary>A chi-square p-value below this raises a categorical feature to WARNING. Default: not used.</summary>
    public double? Chi2Alpha { get; init; }

    /// <summary>|current − baseline| of a bias metric at or above this is WARNING. Default 0.05.</summary>
    public double BiasWarning { get; init; } = 0.05;

    /// <summary>|current − baseline| of a bias metric at or above this is CRITICAL. Default 0.10.</summary>
    public double BiasCritical { get; init; } = 0.10;

    /// <summary>
    /// Thresholds of metrics added after spec v1 (the registry's keys, e.g. <c>missing_share_increase_warning</c>),
    /// kept beside the v1 keys in the same JSON object; a key not given takes the registry's default, and null turns
    /// it off.
    /// </summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Additional { get; init; }

    public static readonly DriftThresholds Default = new();

    /// <summary>The value of any registry threshold key; null when it is not used.</summary>
    public double? Get(string key) => key switch
    {
        "psi_warning" => PsiWarning,
        "psi_critical" => PsiCritical,
        "kl_warning" => KlWarning,
        "kl_critical" => KlCritical,
        "js_warning" => JsWarning,
        "wasserstein_warning" => WassersteinWarning,
        "ks_alpha" => KsAlpha,
        "chi2_alpha" => Chi2Alpha,
        "bias_warning" => BiasWarning,
        "bias_critical" => BiasCritical,
        _ when Additional is not null && Additional.TryGetValue(key, out var given) =>
            given.ValueKind == JsonValueKind.Number ? given.GetDouble() : null,
        _ => MetricRegistry.ThresholdKeys.TryGetValue(key, out var known) ? known.Threshold.Default : null,
    };

    /// <summary>A copy with one registry threshold set (null: not used).</summary>
    public DriftThresholds With(string key, double? value)
    {
        switch (key)
        {
            case "psi_warning": return this with { PsiWarning = value ?? Default.PsiWarning };
            case "psi_critical": return this with { PsiCritical = value ?? Default.PsiCritical };
            case "kl_warning": return this with { KlWarning = value };
            case "kl_critical": return this with { KlCritical = value };
            case "js_warning": return this with { JsWarning = value };
            case "wasserstein_warning": return this with { WassersteinWarning = value };
            case "ks_alpha": return this with { KsAlpha = value };
            case "chi2_alpha": return this with { Chi2Alpha = value };
        }
        if (!MetricRegistry.ThresholdKeys.ContainsKey(key)) throw new DriftInputException(key, "is not a known threshold");
        var additional = new Dictionary<string, JsonElement>(Additional ?? new Dictionary<string, JsonElement>(), StringComparer.Ordinal)
        {
            [key] = JsonSerializer.SerializeToElement(value),
        };
        return this with { Additional = additional };
    }

    /// <summary>Throws with the name of the first threshold that makes no sense.</summary>
    public void Validate()
    {
        static void NonNegative(double? value, string name)
        {
            if (value is { } v && (!double.IsFinite(v) || v < 0))
                throw new DriftInputException(name, "must be a finite number ≥ 0");
        }
        NonNegative(PsiWarning, "psi_warning");
        NonNegative(PsiCritical, "psi_critical");
        NonNegative(KlWarning, "kl_warning");
        NonNegative(KlCritical, "kl_critical");
        NonNegative(JsWarning, "js_warning");
        NonNegative(WassersteinWarning, "wasserstein_warning");
        NonNegative(BiasWarning, "bias_warning");
        NonNegative(BiasCritical, "bias_critical");
        if (PsiCritical < PsiWarning) throw new DriftInputException("psi_critical", "must be ≥ psi_warning");
        if (BiasCritical < BiasWarning) throw new DriftInputException("bias_critical", "must be ≥ bias_warning");
        if (KsAlpha is { } ks && ks is <= 0 or >= 1) throw new DriftInputException("ks_alpha", "must be between 0 and 1");
        if (Chi2Alpha is { } chi && chi is <= 0 or >= 1) throw new DriftInputException("chi2_alpha", "must be between 0 and 1");
        foreach (var (key, value) in Additional ?? new Dictionary<string, JsonElement>())
        {
            if (!MetricRegistry.ThresholdKeys.TryGetValue(key, out var known))
                throw new DriftInputException(key, "is not a known threshold");
            if (value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var v) || !double.IsFinite(v))
                throw new DriftInputException(key, "must be a finite number");
            if (known.Threshold.IsAlpha ? v is <= 0 or >= 1 : v < 0)
                throw new DriftInputException(key, known.Threshold.IsAlpha ? "must be between 0 and 1" : "must be a finite number ≥ 0");
        }
        // Within a metric, the threshold raising to CRITICAL cannot sit below the one raising to WARNING.
        foreach (var metric in MetricRegistry.All)
        {
            var warning = metric.Thresholds.FirstOrDefault(t => t.Raises == AlertLevel.Warning && !t.IsAlpha);
            var critical = metric.Thresholds.FirstOrDefault(t => t.Raises == AlertLevel.Critical && !t.IsAlpha);
            if (warning is null || critical is null) continue;
            if (Get(warning.Key) is { } w && Get(critical.Key) is { } c && c < w)
                throw new DriftInputException(critical.Key, $"must be ≥ {warning.Key}");
        }
    }
}

/// <summary>Bad drift input: names what is wrong (a feature, a threshold, a row).</summary>
public sealed class DriftInputException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}

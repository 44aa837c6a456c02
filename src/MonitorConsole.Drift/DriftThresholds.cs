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

    public static readonly DriftThresholds Default = new();

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
    }
}

/// <summary>Bad drift input: names what is wrong (a feature, a threshold, a row).</summary>
public sealed class DriftInputException(string field, string problem) : Exception($"{field}: {problem}")
{
    public string Field { get; } = field;
    public string Problem { get; } = problem;
}

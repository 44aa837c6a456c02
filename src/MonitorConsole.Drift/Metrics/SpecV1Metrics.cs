namespace MonitorConsole.Drift.Metrics;

// The metrics of spec v1. FeatureDriftCalculator computes them in one pass over the values (their exact formulas are
// pinned by the golden tests); these entries read the results and describe the thresholds.

public sealed class PsiMetric : DriftMetric
{
    public override string Name => "psi";
    public override string Label => "PSI";
    public override double LargestThreshold => 100;
    public override MetricScope AppliesTo => MetricScope.Both;
    public override int Order => 10;
    public override string Definition => "Σ (current − baseline) · ln(current / baseline) over bin shares, empty bins replaced by 0.0001 on each side";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("psi_warning", "PSI warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, 0.1),
        new("psi_critical", "PSI critical", AlertLevel.Critical, ThresholdDirection.AtOrAbove, 0.25),
    ];
    public override double? Compute(FeatureInput input) => input.Drift.Psi;
}

public sealed class KlMetric : DriftMetric
{
    public override string Name => "kl";
    public override string Label => "KL divergence";
    public override double LargestThreshold => 100;
    public override MetricScope AppliesTo => MetricScope.Both;
    public override int Order => 20;
    public override string Definition => "KL(baseline ‖ current) = Σ b · ln(b / c) over the filled shares renormalised to sum to 1";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("kl_warning", "KL divergence warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, null),
        new("kl_critical", "KL divergence critical", AlertLevel.Critical, ThresholdDirection.AtOrAbove, null),
    ];
    public override double? Compute(FeatureInput input) => input.Drift.Kl;
}

public sealed class JsMetric : DriftMetric
{
    public override string Name => "js";
    public override string Label => "Jensen–Shannon distance";
    public override double LargestThreshold => 1;
    public override MetricScope AppliesTo => MetricScope.Both;
    public override int Order => 30;
    public override string Definition => "√(½ Σ b log₂(b/m) + ½ Σ c log₂(c/m)), m = (b+c)/2, over the unfilled shares";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("js_warning", "Jensen–Shannon warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, null),
    ];
    public override double? Compute(FeatureInput input) => input.Drift.Js;
}

public sealed class WassersteinMetric : DriftMetric
{
    public override string Name => "wasserstein";
    public override string Label => "Wasserstein (÷ σ)";
    public override MetricScope AppliesTo => MetricScope.Numeric;
    public override int Order => 40;
    public override string Definition => "∫ |F_baseline − F_current| dx ÷ max(baseline population σ, 0.001)";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("wasserstein_warning", "Wasserstein warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, null),
    ];
    public override double? Compute(FeatureInput input) => input.Drift.Wasserstein;
}

public sealed class KsStatisticMetric : DriftMetric
{
    public override string Name => "ks_statistic";
    public override string Label => "KS statistic";
    public override MetricScope AppliesTo => MetricScope.Numeric;
    public override int Order => 50;
    public override string Definition => "D = sup |F_baseline − F_current| of the two empirical CDFs";
    public override double? Compute(FeatureInput input) => input.Drift.KsStatistic;
}

public sealed class KsPValueMetric : DriftMetric
{
    public override string Name => "ks_p_value";
    public override string Label => "KS p-value";
    public override double LargestThreshold => 1;
    public override MetricScope AppliesTo => MetricScope.Numeric;
    public override int Order => 60;
    public override string Format => "0.####E+0";
    public override string Definition => "Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²), λ = D·√(n·m/(n+m))";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("ks_alpha", "KS significance level", AlertLevel.Warning, ThresholdDirection.Below, null),
    ];
    public override double? Compute(FeatureInput input) => input.Drift.KsPValue;
}

public sealed class Chi2StatisticMetric : DriftMetric
{
    public override string Name => "chi2_statistic";
    public override string Label => "Chi-square statistic";
    public override MetricScope AppliesTo => MetricScope.Categorical;
    public override int Order => 70;
    public override string Definition => "Pearson χ² of homogeneity on the 2 × k table of counts, no continuity correction";
    public override double? Compute(FeatureInput input) => input.Drift.Chi2Statistic;
}

public sealed class Chi2PValueMetric : DriftMetric
{
    public override string Name => "chi2_p_value";
    public override string Label => "Chi-square p-value";
    public override double LargestThreshold => 1;
    public override MetricScope AppliesTo => MetricScope.Categorical;
    public override int Order => 80;
    public override string Format => "0.####E+0";
    public override string Definition => "upper tail of χ² with k − 1 degrees of freedom (regularised upper incomplete gamma)";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("chi2_alpha", "Chi-square significance level", AlertLevel.Warning, ThresholdDirection.Below, null),
    ];
    public override double? Compute(FeatureInput input) => input.Drift.Chi2PValue;
}

namespace MonitorConsole.Drift.Metrics;

/// <summary>Data quality (spec v1.1): the share of current values in categories the baseline never had.</summary>
public sealed class UnseenCategoryShare : DriftMetric
{
    public override string Name => "unseen_category_share";
    public override string Label => "Unseen category share";
    public override MetricScope AppliesTo => MetricScope.Categorical;
    public override int Order => 120;
    public override string Spec => "1.1";
    public override double LargestThreshold => 1;
    public override string Definition => "current non-missing values whose category is not in the baseline ÷ current non-missing values";
    public override IReadOnlyList<MetricThreshold> Thresholds { get; } =
    [
        new("unseen_category_share_warning", "Unseen category share warning", AlertLevel.Warning, ThresholdDirection.AtOrAbove, 0.05),
        new("unseen_category_share_critical", "Unseen category share critical", AlertLevel.Critical, ThresholdDirection.AtOrAbove, 0.2),
    ];

    public override double? Compute(FeatureInput input)
    {
        if (input.CurrentCategories is not { } values) return null;
        long valid = 0, unseen = 0;
        foreach (var v in values)
        {
            if (v is null) continue;
            valid++;
            if (!input.Baseline.CategoryCounts.ContainsKey(v)) unseen++;
        }
        return valid == 0 ? null : (double)unseen / valid;
    }
}

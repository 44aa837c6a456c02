namespace MonitorConsole.Drift.Tests;

/// <summary>Golden values: the published vectors, and values from an independent implementation of the spec.</summary>
public sealed class DriftMathTests
{
    private static readonly double[] Baseline = [0.32, 0.16, 0.28, 0.04, 0.2];
    private static readonly double[] Current = [0.25, 0.0625, 0.4375, 0.1875, 0.0625];

    [Fact]
    public void Kl_MatchesThePublishedVector() =>
        Assert.Equal(0.2752701838700412, DriftMath.KlDivergence(Baseline, Current), 15);

    [Fact]
    public void Psi_MatchesThePublishedVector() =>
        Assert.Equal(0.5670270283866204, DriftMath.Psi(Baseline, Current), 15);

    [Fact]
    public void JsDistance_IsBase2AndBounded() =>
        Assert.Equal(0.3104577175940807, DriftMath.JensenShannonDistance(Baseline, Current), 15);

    [Fact]
    public void JsDistance_IsOne_ForDisjointDistributions() =>
        Assert.Equal(1.0, DriftMath.JensenShannonDistance([1, 0], [0, 1]), 15);

    [Fact]
    public void Psi_FillsEmptyBinsOnEachSideWithoutRenormalising() =>
        Assert.Equal(2.9341472484810085, DriftMath.Psi([0, 2.0 / 3, 1.0 / 3], [1.0 / 3, 1.0 / 3, 1.0 / 3]), 13);

    [Theory]
    [InlineData(0.1, 1.3)]
    [InlineData(0.5, 2.5)]
    [InlineData(0.9, 3.7)]
    public void Quantile_InterpolatesLinearlyAsNumpyDoes(double q, double expected) =>
        Assert.Equal(expected, DriftMath.Quantile([1, 2, 3, 4], q), 12);

    [Fact]
    public void Wasserstein_MatchesTheTextbookExample() =>
        Assert.Equal(5.0, DriftMath.Wasserstein([0, 1, 3], [5, 6, 8]), 12);

    [Fact]
    public void KsStatistic_IsTheLargestGapBetweenTheEcdfs() =>
        Assert.Equal(0.5, DriftMath.KsStatistic([1, 2, 3, 4], [3, 4, 5, 6]), 15);

    [Fact]
    public void ChiSquare_WithThreeCategories_HasTwoDegreesOfFreedom()
    {
        var (statistic, p) = DriftMath.ChiSquareHomogeneity([30, 20, 10], [20, 25, 15]);
        Assert.Equal(3.5555555555555554, statistic, 12);
        Assert.Equal(0.1690133154060661, p, 12);
    }

    [Fact]
    public void ChiSquare_WithTwoCategories_HasOneDegreeOfFreedom()
    {
        var (statistic, p) = DriftMath.ChiSquareHomogeneity([40, 60], [55, 45]);
        Assert.Equal(4.511278195488721, statistic, 12);
        Assert.Equal(0.03367206885634585, p, 12);
    }

    [Fact]
    public void KsPValue_IsOne_ForIdenticalSamples_AndSmall_ForFarApartOnes()
    {
        Assert.Equal(1.0, DriftMath.KsPValue(0, 100, 100));
        Assert.True(DriftMath.KsPValue(1.0, 100, 100) < 1e-20);
    }
}

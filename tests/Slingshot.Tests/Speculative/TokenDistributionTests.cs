using Slingshot.Generation.Speculative;

namespace Slingshot.Tests.Speculative;

public sealed class TokenDistributionTests
{
    private static readonly float[] Logits = [2f, 1f, 0f, -1f];

    private static float[] Probabilities(SamplerSettings settings)
    {
        var distribution = new TokenDistribution(Logits.Length);
        distribution.Compute(Logits, settings);
        return Enumerable.Range(0, Logits.Length).Select(i => distribution[i]).ToArray();
    }

    private static float[] Softmax(params float[] logits)
    {
        var exp = logits.Select(l => MathF.Exp(l)).ToArray();
        return exp.Select(e => e / exp.Sum()).ToArray();
    }

    [Fact]
    public void Compute_NoFilters_IsTheSoftmax()
    {
        var p = Probabilities(new SamplerSettings { Temperature = 1, TopK = 0, TopP = 1, MinP = 0 });

        Assert.Equal(Softmax(Logits), p, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Compute_TopK_KeepsTheKMostLikely()
    {
        var p = Probabilities(new SamplerSettings { Temperature = 1, TopK = 2, TopP = 1, MinP = 0 });

        Assert.Equal([.. Softmax(2f, 1f), 0f, 0f], p, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Compute_TopP_KeepsTheShortestPrefixReachingP()
    {
        // softmax: 0.644, 0.237, 0.087, 0.032; p = 0.85 needs the first two.
        var p = Probabilities(new SamplerSettings { Temperature = 1, TopK = 0, TopP = 0.85f, MinP = 0 });

        Assert.Equal([.. Softmax(2f, 1f), 0f, 0f], p, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Compute_MinPAndTemperature_FilterThenFlatten()
    {
        // min-p 0.2 keeps tokens at least 0.2 x the most likely (e^-1 = 0.37 yes, e^-2 = 0.14 no); T = 2 halves the logits.
        var p = Probabilities(new SamplerSettings { Temperature = 2, TopK = 0, TopP = 1, MinP = 0.2f });

        Assert.Equal([.. Softmax(1f, 0.5f), 0f, 0f], p, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Argmax_Ties_PicksTheFirst()
    {
        Assert.Equal(1, TokenDistribution.Argmax([0f, 3f, 3f, 1f]));
    }
}

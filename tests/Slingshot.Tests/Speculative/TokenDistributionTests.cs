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

    [Theory]
    [InlineData(7)]
    [InlineData(512)]
    [InlineData(32000)]
    public void Argmax_VocabularySizedLogitsWithTiesNaNAndSignedZeros_MatchesLlamaCppsScan(int size)
    {
        var random = new Random(size);
        for (var trial = 0; trial < 200; trial++)
        {
            // Values on a coarse grid so that ties of the maximum are common, sometimes all at or below zero.
            var logits = Enumerable.Range(0, size).Select(_ => MathF.Round((float)random.NextDouble() * 8 - (trial % 3 == 0 ? 8 : 4))).ToArray();
            if (trial % 5 == 0)
            {
                logits[random.Next(size)] = float.NaN;
            }
            if (trial % 7 == 0)
            {
                Array.Fill(logits, -1f);
                logits[random.Next(size)] = -0f;
                logits[random.Next(size)] = 0f;
            }

            Assert.Equal(ScalarArgmax(logits), TokenDistribution.Argmax(logits));
        }
    }

    /// <summary>llama.cpp's greedy sampler: the first index whose logit is greater than every earlier one.</summary>
    private static int ScalarArgmax(float[] logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }
        return best;
    }
}

namespace Slingshot.Strategies.Selection;

/// <summary>
/// A vote where each sample's answer counts with a weight (for example its mean token probability, or a
/// verifier's score): the answer with the largest summed weight wins, ties (equal sums, up to rounding) go
/// to the answer seen first, samples without an answer do not vote, and with no voters there is no winner.
/// </summary>
public static class WeightedVote
{
    /// <summary>Counts answers with weights; entry i of each list belongs to sample i.</summary>
    /// <param name="answers">Each sample's canonical answer, null when it had none.</param>
    /// <param name="weights">Each sample's weight: finite and not negative.</param>
    public static VoteResult Tally(IReadOnlyList<string?> answers, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(weights);
        if (answers.Count != weights.Count)
        {
            throw new ArgumentException($"Got {answers.Count} answers but {weights.Count} weights.", nameof(weights));
        }
        for (var i = 0; i < weights.Count; i++)
        {
            if (!double.IsFinite(weights[i]) || weights[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(weights), weights[i],
                    $"Weight of sample {i} must be finite and >= 0 (a log-probability must be turned into a probability first).");
            }
        }
        return VoteCounter.Count(answers, i => weights[i]);
    }

    /// <summary>
    /// A sample's weight from its mean token log-probability: exp(mean), the geometric mean of its token
    /// probabilities, in (0, 1]. A sample without log-probabilities weighs 0 (it names an answer but adds no
    /// weight); when no sample has them, use <see cref="MajorityVote"/> instead.
    /// </summary>
    public static double MeanProbability(double? meanLogprob) =>
        meanLogprob is { } logprob && double.IsFinite(logprob) ? Math.Exp(Math.Min(logprob, 0)) : 0;
}

using Slingshot.Strategies.Selection;

namespace Slingshot.Evaluation.Metrics;

/// <summary>One graded sample as the metrics see it.</summary>
/// <param name="Index">Sample index within its problem (the order maj@k takes samples in).</param>
/// <param name="Answer">Canonical extracted answer, or null when none (such samples do not vote).</param>
/// <param name="Correct">The grader's verdict.</param>
/// <param name="MeanLogprob">Mean token log-probability, when recorded.</param>
public readonly record struct SampleOutcome(int Index, string? Answer, bool Correct, double? MeanLogprob);

/// <summary>The graded samples of one problem, in index order.</summary>
/// <param name="ProblemId">Problem id.</param>
/// <param name="Samples">Its samples, ordered by index.</param>
public sealed record ProblemOutcome(string ProblemId, IReadOnlyList<SampleOutcome> Samples)
{
    /// <summary>Number of correct samples.</summary>
    public int Correct => Samples.Count(s => s.Correct);

    /// <summary>
    /// Whether majority vote over the first <paramref name="k"/> samples picks a correct answer: the most
    /// frequent answer wins, ties go to the answer seen first, samples without an answer do not vote, and the
    /// winner is correct when its first sample was graded correct. No voters means wrong.
    /// </summary>
    public bool MajorityCorrect(int k)
    {
        var vote = MajorityVote.Tally(Samples.Take(k).Select(s => s.Answer).ToList());
        return vote.WinnerIndex is { } winner && Samples[winner].Correct;
    }

    /// <summary>Whether the sample with the highest mean log-probability is correct (ties: lowest index); null without log-probabilities.</summary>
    public bool? LogprobSelectedCorrect()
    {
        SampleOutcome? best = null;
        foreach (var sample in Samples)
        {
            if (sample.MeanLogprob is { } lp && (best is null || lp > best.Value.MeanLogprob))
            {
                best = sample;
            }
        }
        return best?.Correct;
    }
}

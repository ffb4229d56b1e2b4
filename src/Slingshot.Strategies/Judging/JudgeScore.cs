namespace Slingshot.Strategies.Judging;

/// <summary>What a judge model said about one candidate, read from its next-token distribution.</summary>
/// <param name="PYes">P(yes) / (P(yes) + P(no)): the yes tokens' share of the answer mass, in [0, 1].</param>
/// <param name="YesProbability">Total probability of the yes tokens.</param>
/// <param name="NoProbability">Total probability of the no tokens.</param>
public sealed record JudgeScore(double PYes, double YesProbability, double NoProbability)
{
    /// <summary>How much of the model's next-token probability went to a yes or a no at all (low: it wanted to say something else).</summary>
    public double AnswerMass => YesProbability + NoProbability;
}

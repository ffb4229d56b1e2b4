namespace Slingshot.Generation.Speculative;

/// <summary>The outcome of checking a draft: how many drafted tokens stand, and the target's own next token.</summary>
/// <param name="Accepted">Drafted tokens accepted, a prefix of the draft.</param>
/// <param name="Next">The token after them: the target's correction of the first rejected token, or its bonus token
/// when the whole draft stood.</param>
internal readonly record struct DraftVerdict(int Accepted, int Next);

/// <summary>
/// Accepting a draft against the target's predictions. Position i of the verification pass holds the target's
/// prediction for the token after the i-th fed token, so prediction 0 checks drafted token 0, and prediction k
/// (after a whole accepted draft) gives a bonus token.
/// </summary>
internal static class SpeculativeAcceptance
{
    /// <summary>
    /// Greedy: a drafted token stands while it is the target's most likely token, so the output is exactly what
    /// the target alone would produce.
    /// </summary>
    public static DraftVerdict Greedy(ReadOnlySpan<int> drafted, Func<int, int> targetArgmax)
    {
        for (var i = 0; i < drafted.Length; i++)
        {
            var expected = targetArgmax(i);
            if (expected != drafted[i])
            {
                return new DraftVerdict(i, expected);
            }
        }
        return new DraftVerdict(drafted.Length, targetArgmax(drafted.Length));
    }

    /// <summary>
    /// Speculative sampling (Leviathan et al. 2023; Chen et al. 2023): drafted token x, drawn from q, stands with
    /// probability min(1, p(x) / q(x)); the first rejected one is replaced by a draw from norm(max(0, p - q)).
    /// Every emitted token then follows the target's p exactly, whatever the draft's quality.
    /// </summary>
    /// <param name="drafted">The drafted tokens.</param>
    /// <param name="target">The target's distribution at position i (computed on demand: a rejection ends the check).</param>
    /// <param name="draft">The draft's distribution that drew token i, or null for a deterministic drafter (a point mass).</param>
    /// <param name="random">The request's random stream.</param>
    public static DraftVerdict Sample(ReadOnlySpan<int> drafted, Func<int, TokenDistribution> target, Func<int, TokenDistribution?> draft, Random random)
    {
        for (var i = 0; i < drafted.Length; i++)
        {
            var p = target(i);
            var q = draft(i);
            var token = drafted[i];
            double pToken = p[token];
            var qToken = q is null ? 1.0 : q[token];
            // u < p/q, written without the division; q(x) > 0 because the draft drew x.
            if (random.NextDouble() * qToken < pToken)
            {
                continue;
            }
            return new DraftVerdict(i, p.SampleResidual(q, token, random));
        }
        return new DraftVerdict(drafted.Length, target(drafted.Length).Sample(random));
    }
}

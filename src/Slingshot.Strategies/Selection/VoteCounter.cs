namespace Slingshot.Strategies.Selection;

/// <summary>The one tallying loop behind <see cref="MajorityVote"/> and <see cref="WeightedVote"/>.</summary>
internal static class VoteCounter
{
    /// <summary>
    /// Relative difference below which two weight sums count as a tie. Sums of the same weights in a
    /// different order can differ in the last bits; such a difference must not beat "first seen wins".
    /// </summary>
    private const double TieTolerance = 1e-12;

    public static VoteResult Count(IReadOnlyList<string?> answers, Func<int, double> weightOf)
    {
        var order = new List<string>();
        var tallies = new Dictionary<string, AnswerTally>(StringComparer.Ordinal);
        var voters = 0;
        var totalWeight = 0.0;
        for (var i = 0; i < answers.Count; i++)
        {
            if (answers[i] is not { } answer)
            {
                continue;
            }
            var weight = weightOf(i);
            voters++;
            totalWeight += weight;
            if (tallies.TryGetValue(answer, out var tally))
            {
                tallies[answer] = tally with { Count = tally.Count + 1, Weight = tally.Weight + weight };
            }
            else
            {
                tallies[answer] = new AnswerTally(answer, 1, weight, i);
                order.Add(answer);
            }
        }

        AnswerTally? winner = null;
        var tallyInOrder = order.Select(a => tallies[a]).ToList();
        foreach (var candidate in tallyInOrder)
        {
            // Strictly more weight takes the lead, so an equal later answer never displaces the first seen.
            if (winner is null || candidate.Weight - winner.Weight > TieTolerance * Math.Max(Math.Abs(candidate.Weight), Math.Abs(winner.Weight)))
            {
                winner = candidate;
            }
        }

        return new VoteResult
        {
            Winner = winner?.Answer,
            WinnerIndex = winner?.FirstIndex,
            WinnerCount = winner?.Count ?? 0,
            WinnerWeight = winner?.Weight ?? 0,
            Voters = voters,
            Total = answers.Count,
            TotalWeight = totalWeight,
            Tally = tallyInOrder,
        };
    }
}

namespace Slingshot.Strategies.Selection;

/// <summary>
/// Best-of-n by the model's own confidence: the sample with the highest mean token log-probability. Ties go
/// to the lowest index; a sample without log-probabilities never wins unless none has them, and then the
/// first sample is chosen.
/// </summary>
public static class BestOfN
{
    /// <summary>Chooses among samples by their mean log-probabilities; entry i is sample i's (null when unknown).</summary>
    public static SelectionResult Select(IReadOnlyList<double?> meanLogprobs)
    {
        ArgumentNullException.ThrowIfNull(meanLogprobs);
        if (meanLogprobs.Count == 0)
        {
            return new SelectionResult(null, null, null, "no samples");
        }

        int? best = null;
        for (var i = 0; i < meanLogprobs.Count; i++)
        {
            if (meanLogprobs[i] is { } value && !double.IsNaN(value) && (best is null || value > meanLogprobs[best.Value]!.Value))
            {
                best = i;
            }
        }
        if (best is not { } index)
        {
            return new SelectionResult(0, null, null, "no sample has log-probabilities; chose the first");
        }
        var mean = meanLogprobs[index]!.Value;
        return new SelectionResult(index, null, Math.Exp(Math.Min(mean, 0)),
            $"sample {index} has the highest mean log-probability ({mean.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)})");
    }

    /// <summary>Chooses among samples by <see cref="Sample.MeanLogprob"/>; the result's index is the position in the list.</summary>
    public static SelectionResult Select(IReadOnlyList<Sample> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return Select(candidates.Select(c => c.MeanLogprob).ToList());
    }
}

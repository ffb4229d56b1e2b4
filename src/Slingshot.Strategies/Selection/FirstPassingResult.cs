using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Selection;

/// <summary>What <see cref="FirstPassing"/> found: the lowest-index passing sample and every verdict it examined.</summary>
/// <param name="Index">The lowest index whose sample passed, or null when none did.</param>
/// <param name="Verdicts">Entry i is sample i's verdict, or null when it was not examined (a lower sample had already passed).</param>
public sealed record FirstPassingResult(int? Index, IReadOnlyList<Verdict?> Verdicts)
{
    /// <summary>How many samples the verifier judged.</summary>
    public int Examined => Verdicts.Count(v => v is not null);

    /// <summary>Whether some sample passed.</summary>
    public bool Passed => Index is not null;

    /// <summary>This outcome as a <see cref="SelectionResult"/> (confidence 1 for a passing sample: the verifier said so).</summary>
    public SelectionResult ToSelection()
    {
        if (Index is { } index)
        {
            return new SelectionResult(index, null, 1.0, $"sample {index} passed: {Verdicts[index]!.Reason}");
        }
        var reason = Verdicts.Count == 0 ? "no samples to verify" : $"none of {Examined} samples passed";
        return new SelectionResult(null, null, null, reason);
    }
}

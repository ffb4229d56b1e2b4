using System.Globalization;

namespace Slingshot.Strategies.Selection;

/// <summary>
/// The outcome of a (possibly weighted) vote over k samples' extracted answers. Samples without an
/// extractable answer are counted in <see cref="Total"/> but do not vote.
/// </summary>
public sealed record VoteResult
{
    /// <summary>The winning answer, or null when no sample had an answer.</summary>
    public required string? Winner { get; init; }

    /// <summary>The lowest index of a sample that gave the winning answer, or null with no winner.</summary>
    public required int? WinnerIndex { get; init; }

    /// <summary>Samples that gave the winning answer.</summary>
    public required int WinnerCount { get; init; }

    /// <summary>Their weights summed (equal to <see cref="WinnerCount"/> in an unweighted vote).</summary>
    public required double WinnerWeight { get; init; }

    /// <summary>Samples with an extractable answer.</summary>
    public required int Voters { get; init; }

    /// <summary>All samples, voters or not.</summary>
    public required int Total { get; init; }

    /// <summary>The voters' weights summed.</summary>
    public required double TotalWeight { get; init; }

    /// <summary>Every distinct answer with its votes, in the order the answers were first seen.</summary>
    public required IReadOnlyList<AnswerTally> Tally { get; init; }

    /// <summary>Winner's votes over voters: how much the samples that answered agree (0 with no voters).</summary>
    public double Agreement => Voters == 0 ? 0 : (double)WinnerCount / Voters;

    /// <summary>Winner's votes over all samples, counting those without an answer (0 with no samples).</summary>
    public double AgreementOfAll => Total == 0 ? 0 : (double)WinnerCount / Total;

    /// <summary>
    /// Winner's weight over the voters' weight (0 when that is 0). In an unweighted vote this equals
    /// <see cref="Agreement"/>; it is the confidence a <see cref="SelectionResult"/> reports.
    /// </summary>
    public double Share => TotalWeight > 0 ? WinnerWeight / TotalWeight : 0;

    /// <summary>Whether some sample had an answer.</summary>
    public bool HasWinner => Winner is not null;

    /// <summary>This vote as a <see cref="SelectionResult"/>: the first sample carrying the winning answer.</summary>
    public SelectionResult ToSelection()
    {
        if (Winner is null)
        {
            return new SelectionResult(null, null, null, $"none of {Total} samples had an extractable answer");
        }
        var unweighted = WinnerWeight == WinnerCount && TotalWeight == Voters;
        var votes = unweighted
            ? $"'{Winner}' won {WinnerCount} of {Voters} votes"
            : $"'{Winner}' won {(Share * 100).ToString("F0", CultureInfo.InvariantCulture)}% of the weight ({WinnerCount} of {Voters} votes)";
        var silent = Total - Voters;
        return new SelectionResult(WinnerIndex, Winner, Share, silent == 0 ? votes : $"{votes}; {silent} without an answer");
    }
}

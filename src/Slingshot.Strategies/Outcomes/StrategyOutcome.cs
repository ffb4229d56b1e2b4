using Slingshot.Strategies.Cascades;
using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies;

/// <summary>
/// What a strategy decided and why: the sample it returned, the answer it found, and the evidence (votes, verdicts, the
/// route, every cascade attempt). A strategy fills the parts it has; the rest stay null. At the
/// <see cref="Microsoft.Extensions.AI.IChatClient"/> edge it rides on the response under <see cref="PropertyKey"/>
/// (read it with <see cref="StrategyOutcomeExtensions.GetStrategyOutcome(Microsoft.Extensions.AI.ChatResponse)"/>).
/// </summary>
public sealed record StrategyOutcome
{
    /// <summary>The one <c>AdditionalProperties</c> key a strategy's response carries its outcome under.</summary>
    public const string PropertyKey = "slingshot.outcome";

    /// <summary>The <see cref="Sample.Index"/> of the returned sample among <see cref="Candidates"/>; null when it is not one of them.</summary>
    public int? SelectedIndex { get; init; }

    /// <summary>Why that answer was returned, one readable line ("'5' won 2 of 3 votes", "sample 1 passed: ...").</summary>
    public required string Reason { get; init; }

    /// <summary>The answer in canonical form, when the strategy extracted one (a vote's winner, a verified sample's answer).</summary>
    public string? Answer { get; init; }

    /// <summary>Votes: samples that gave the winning answer.</summary>
    public int? Votes { get; init; }

    /// <summary>Votes: samples that had an extractable answer.</summary>
    public int? Voters { get; init; }

    /// <summary>Votes: the winner's votes over the voters, in [0, 1]; 0 with no voters.</summary>
    public double? Agreement { get; init; }

    /// <summary>Votes: every distinct answer with its votes, in first-seen order.</summary>
    public IReadOnlyList<AnswerTally>? Tally { get; init; }

    /// <summary>Verifier: whether the returned sample passed.</summary>
    public bool? Verified { get; init; }

    /// <summary>Verifier: each sample's verdict, null where a sample was not judged.</summary>
    public IReadOnlyList<Verdict?>? Verdicts { get; init; }

    /// <summary>Router: the tier the request was sent to, "small" or "large".</summary>
    public string? Route { get; init; }

    /// <summary>Router: its score of the prompt, P(the small tier fails) in [0, 1].</summary>
    public double? RouterScore { get; init; }

    /// <summary>Cascade: every tier tried, in order, with its tokens, cost, latency, score and decision.</summary>
    public IReadOnlyList<CascadeAttempt>? Attempts { get; init; }

    /// <summary>Every sample drawn, in index order; empty when the strategy drew none of its own (a router, a cascade of single calls).</summary>
    public IReadOnlyList<Sample> Candidates { get; init; } = [];

    /// <summary>The returned sample among <see cref="Candidates"/>, when <see cref="SelectedIndex"/> names one.</summary>
    public Sample? Selected => SelectedIndex is { } index ? Candidates.FirstOrDefault(c => c.Index == index) : null;
}

namespace Slingshot.Strategies;

/// <summary>
/// Keys of <see cref="Microsoft.Extensions.AI.ChatResponse.AdditionalProperties"/> that the sampling and
/// selection middleware set on their responses (and on the last update when streaming), so a caller can
/// see what was drawn and how the answer was chosen.
/// </summary>
public static class StrategyResponseProperties
{
    /// <summary>Every sample drawn, an <c>IReadOnlyList&lt;Sample&gt;</c> in index order.</summary>
    public const string Candidates = "slingshot.candidates";

    /// <summary>The index of the sample returned as the response text (<c>int</c>).</summary>
    public const string SelectedIndex = "slingshot.selected_index";

    /// <summary>Why that sample was returned, one readable line (<c>string</c>).</summary>
    public const string Reason = "slingshot.reason";

    /// <summary>The winning answer in canonical form (<c>string</c>), absent when no sample had one.</summary>
    public const string Answer = "slingshot.answer";

    /// <summary>The winner's votes over the samples that had an answer, in [0, 1] (<c>double</c>); 0 with no voters.</summary>
    public const string Agreement = "slingshot.agreement";

    /// <summary>Samples that gave the winning answer (<c>int</c>).</summary>
    public const string Votes = "slingshot.votes";

    /// <summary>Samples that had an extractable answer (<c>int</c>).</summary>
    public const string Voters = "slingshot.voters";

    /// <summary>Every distinct answer with its votes, an <c>IReadOnlyList&lt;AnswerTally&gt;</c> in first-seen order.</summary>
    public const string Tally = "slingshot.tally";

    /// <summary>Whether the returned sample passed the verifier (<c>bool</c>).</summary>
    public const string Verified = "slingshot.verified";

    /// <summary>Each sample's verdict, an <c>IReadOnlyList&lt;Verdict?&gt;</c> (null where a sample was not judged).</summary>
    public const string Verdicts = "slingshot.verdicts";

    /// <summary>Cascades: every tier tried, as a list of <see cref="Cascades.CascadeAttempt"/>.</summary>
    public const string Attempts = "slingshot.attempts";

    /// <summary>Routers: the tier a request was sent to, "small" or "large" (<c>string</c>).</summary>
    public const string Route = "slingshot.route";

    /// <summary>Routers: the router's score of the prompt, P(the small tier fails) in [0, 1] (<c>double</c>).</summary>
    public const string RouterScore = "slingshot.router_score";
}

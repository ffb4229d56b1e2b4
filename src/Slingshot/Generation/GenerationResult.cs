namespace Slingshot;

/// <summary>Why a sample ended.</summary>
public enum FinishReason
{
    /// <summary>An end-of-generation token or a stop sequence.</summary>
    Stop,
    /// <summary>The token limit.</summary>
    Length,
    /// <summary>The caller cancelled (or the engine shut down).</summary>
    Cancelled,
}

/// <summary>A token's log-probability under the model (softmax of the raw logits, before sampling settings).</summary>
/// <param name="Token">Token id.</param>
/// <param name="Text">Its text.</param>
/// <param name="Logprob">Natural log of its probability.</param>
public readonly record struct TokenProbability(int Token, string Text, float Logprob);

/// <summary>The chosen token's log-probability and the most likely alternatives at that step.</summary>
/// <param name="Chosen">The sampled token.</param>
/// <param name="TopAlternatives">The most likely tokens, most likely first.</param>
public sealed record TokenLogprob(TokenProbability Chosen, IReadOnlyList<TokenProbability> TopAlternatives);

/// <summary>Tokens in and out.</summary>
/// <param name="PromptTokens">Tokens of the prompt (decoded once, however many samples).</param>
/// <param name="CompletionTokens">Tokens generated.</param>
public readonly record struct TokenUsage(int PromptTokens, int CompletionTokens)
{
    /// <summary>Both together.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;

    /// <summary>The tokens of two calls together.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right) =>
        new(left.PromptTokens + right.PromptTokens, left.CompletionTokens + right.CompletionTokens);
}

/// <summary>
/// Where the time went. Only <see cref="Total"/> is always known: the local engine measures every part, a source that
/// sees only whole responses (a remote endpoint, a plain chat client) leaves the others null rather than inventing them.
/// </summary>
/// <param name="QueueTime">Waiting for free sequences or context cells.</param>
/// <param name="TimeToFirstToken">From submission to the first sampled token.</param>
/// <param name="PrefillTokensPerSecond">Prompt tokens decoded per second.</param>
/// <param name="DecodeTokensPerSecond">Tokens generated per second after the first, over all samples.</param>
/// <param name="Total">From submission to the end.</param>
public readonly record struct GenerationTimings(TimeSpan? QueueTime, TimeSpan? TimeToFirstToken, double? PrefillTokensPerSecond,
    double? DecodeTokensPerSecond, TimeSpan Total)
{
    /// <summary>Timings of a source that knows only how long the whole call took.</summary>
    public static GenerationTimings TotalOnly(TimeSpan total) => new(null, null, null, null, total);

    /// <summary>Tokens per second over <paramref name="elapsed"/>; null when no time passed (a rate cannot be known).</summary>
    public static double? Rate(long tokens, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? tokens / elapsed.TotalSeconds : null;

    /// <summary>
    /// The engine's timings from <see cref="System.Diagnostics.Stopwatch"/> timestamps (0 = never happened; the end is now):
    /// the one computation every local decoder uses. A part that did not happen (no prefill, no token) is null.
    /// </summary>
    internal static GenerationTimings Measure(long submittedAt, long admittedAt, long prefillDoneAt, long firstTokenAt,
        int promptTokens, long tokensAfterFirst)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var admitted = admittedAt == 0 ? now : admittedAt;
        TimeSpan Since(long start, long end) => System.Diagnostics.Stopwatch.GetElapsedTime(start, end);
        return new GenerationTimings(
            Since(submittedAt, admitted),
            firstTokenAt == 0 ? null : Since(submittedAt, firstTokenAt),
            prefillDoneAt == 0 ? null : Rate(promptTokens, Since(admitted, prefillDoneAt)),
            firstTokenAt == 0 ? null : Rate(tokensAfterFirst, Since(firstTokenAt, now)),
            Since(submittedAt, now));
    }
}

/// <summary>One generated sample.</summary>
public sealed record Sample
{
    /// <summary>Index of the sample within its request.</summary>
    public required int Index { get; init; }
    /// <summary>The generated text (a matched stop sequence excluded).</summary>
    public required string Text { get; init; }
    /// <summary>
    /// The generated token ids that make up <see cref="Text"/>: an end-of-generation token is excluded, and so are the
    /// tokens whose text lies wholly inside a matched stop sequence. A token that straddles the start of the stop
    /// sequence stays (the text keeps its beginning), so the tokens' text may run a little past <see cref="Text"/>.
    /// </summary>
    /// <remarks>Null where the source has no token ids (a remote endpoint, a plain chat client).</remarks>
    public required IReadOnlyList<int>? Tokens { get; init; }
    /// <summary>Per-token log-probabilities when requested, one for each of <see cref="Tokens"/>.</summary>
    public IReadOnlyList<TokenLogprob>? Logprobs { get; init; }
    /// <summary>Why it ended.</summary>
    public required FinishReason FinishReason { get; init; }
    /// <summary>The seed its sampler used (remote: the seed sent with its request); null when unknown or none was sent.</summary>
    public required long? Seed { get; init; }
    /// <summary>
    /// The prompt's tokens (shared by all samples of a request) and the tokens this sample decoded, including those a
    /// stop sequence cut from <see cref="Tokens"/> (they were computed). Null when the source cannot attribute tokens to one
    /// sample (an endpoint that reports only the total of n choices); <see cref="GenerationResult.Usage"/> is the total.
    /// </summary>
    public TokenUsage? Usage { get; init; }
    /// <summary>Mean log-probability of the chosen tokens, when log-probabilities were requested.</summary>
    public double? MeanLogprob => Logprobs is { Count: > 0 } l ? l.Average(x => x.Chosen.Logprob) : null;
}

/// <summary>The samples of one request with their usage and timings.</summary>
/// <param name="Samples">The samples, in index order.</param>
/// <param name="Usage">Prompt tokens (once) and completion tokens (all samples).</param>
/// <param name="Timings">Queue, first-token, prefill and decode timings (those the source measured).</param>
public sealed record GenerationResult(IReadOnlyList<Sample> Samples, TokenUsage Usage, GenerationTimings Timings)
{
    /// <summary>The model that answered, when the source says (an endpoint may name a more specific version than asked for).</summary>
    public string? ModelId { get; init; }

    /// <summary>Drafted and accepted tokens when the request was decoded speculatively, else null.</summary>
    public SpeculationStatistics? Speculation { get; init; }
}

/// <summary>One step of a streamed generation: new text of one sample, or its end.</summary>
public sealed record GenerationUpdate
{
    /// <summary>Which sample.</summary>
    public required int SampleIndex { get; init; }
    /// <summary>
    /// The token this update streams, or null for an update that carries only text or only the end. A token goes out
    /// with its text: while a possible stop sequence holds the text back so is the token, and a token cut with a stop
    /// sequence never goes out, so the streamed tokens and log-probabilities are those of the final sample.
    /// </summary>
    public int? Token { get; init; }
    /// <summary>Text that became final at this step (may be empty while a stop sequence or a UTF-8 character is incomplete).</summary>
    public string Text { get; init; } = string.Empty;
    /// <summary>Log-probability of <see cref="Token"/> when requested.</summary>
    public TokenLogprob? Logprob { get; init; }
    /// <summary>Set on the sample's last update.</summary>
    public FinishReason? FinishReason { get; init; }
    /// <summary>The complete sample, on its last update.</summary>
    public Sample? Sample { get; init; }
    /// <summary>Set on the request's very last update: the whole result.</summary>
    public GenerationResult? Result { get; init; }
}

using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies;

/// <summary>What <see cref="VerifierChatClient"/> does when no sample passes.</summary>
public enum NoPassingSampleBehavior
{
    /// <summary>Return the first sample, with <see cref="StrategyOutcome.Verified"/> false.</summary>
    ReturnFirstSample,

    /// <summary>Throw <see cref="NoPassingSampleException"/>, which carries the samples, verdicts and usage.</summary>
    Throw,
}

/// <summary>Options of <see cref="VerifierChatClient"/>.</summary>
public sealed record VerifierChatClientOptions
{
    /// <summary>How many samples and how; default <see cref="RepeatedSamplingOptions"/>.</summary>
    public RepeatedSamplingOptions Sampling { get; init; } = new();

    /// <summary>
    /// What the verifier knows besides the text, for every request (default none). A request can bring its
    /// own under <see cref="VerifierChatClient.ContextProperty"/> in <c>ChatOptions.AdditionalProperties</c>.
    /// </summary>
    public VerificationContext Context { get; init; } = VerificationContext.Empty;

    /// <summary>When set, each sample's context carries its extracted answer, and the response its answer.</summary>
    public IAnswerExtractor? Extractor { get; init; }

    /// <summary>Samples judged at once (default 1); the lowest passing index wins either way.</summary>
    public int MaxParallelism { get; init; } = 1;

    /// <summary>What to do when no sample passes; default return the first sample marked unverified.</summary>
    public NoPassingSampleBehavior WhenNonePass { get; init; } = NoPassingSampleBehavior.ReturnFirstSample;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Sampling, nameof(Sampling));
        ArgumentNullException.ThrowIfNull(Context, nameof(Context));
        Sampling.Validate();
        if (MaxParallelism < 1) throw new ArgumentException($"Verifier parallelism must be >= 1 (got {MaxParallelism}).");
        if (!Enum.IsDefined(WhenNonePass)) throw new ArgumentException($"Unknown behavior when none pass: {WhenNonePass}.");
    }
}

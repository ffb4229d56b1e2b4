using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies;

/// <summary>
/// Verifier selection as middleware: runs <see cref="VerifierStrategy"/> over samples of the inner client and returns the
/// first sample (lowest index) the verifier passes, with <see cref="StrategyOutcome.Verified"/> true. When none passes,
/// <see cref="VerifierChatClientOptions.WhenNonePass"/> decides: return the first sample with
/// <see cref="StrategyOutcome.Verified"/> false (default), or throw <see cref="NoPassingSampleException"/>.
/// </summary>
/// <remarks>
/// <para>
/// The response's <see cref="StrategyOutcome"/> also holds the verdicts, candidates, selected index, reason and, with an
/// extractor, the answer; its usage is the sum over every sample.
/// </para>
/// <para>
/// The verification context is the configured one unless the request carries a <see cref="VerificationContext"/>
/// under <see cref="ContextProperty"/> in <see cref="ChatOptions.AdditionalProperties"/> (a per-problem reference or
/// test code); that entry is removed from the options the inner client sees.
/// </para>
/// <para>
/// It draws its own samples through <see cref="RepeatedSampler"/>, so it is used alone, never over
/// <see cref="RepeatedSamplingChatClient"/>. Verifying needs the samples before it answers: streaming computes
/// the whole response first and then yields it.
/// </para>
/// </remarks>
public sealed class VerifierChatClient : StrategyChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key of a per-request <see cref="VerificationContext"/>.</summary>
    public const string ContextProperty = "slingshot.verification_context";

    private readonly VerifierStrategy _strategy;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">Where the samples come from.</param>
    /// <param name="verifier">The judge of each sample.</param>
    /// <param name="options">Sampling, context and the behavior when none pass; default <see cref="VerifierChatClientOptions"/>.</param>
    public VerifierChatClient(IChatClient innerClient, IVerifier verifier, VerifierChatClientOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        options ??= new VerifierChatClientOptions();
        options.Validate();
        RepeatedSamplingChatClient.ThrowIfBeneath(innerClient, nameof(VerifierChatClient));
        _strategy = new VerifierStrategy(new RepeatedSampler(innerClient, options.Sampling), verifier, options);
    }

    /// <summary>The judge of each sample.</summary>
    public IVerifier Verifier => _strategy.Verifier;

    /// <summary>Sampling, context and the behavior when none pass.</summary>
    public VerifierChatClientOptions Options => _strategy.Options;

    /// <inheritdoc />
    public override IStrategy Strategy => _strategy;

    /// <inheritdoc />
    /// <remarks>Log-probabilities when its samples have them; no vote.</remarks>
    protected override ConfidenceSignals Signals => new(Agreement: false, MeanLogprob: _strategy.Sampler.ReportsLogprobs);
}

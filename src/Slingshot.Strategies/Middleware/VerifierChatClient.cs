using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies;

/// <summary>
/// Verifier selection as middleware: draws k samples and returns the first one (lowest index) the verifier
/// passes, with <see cref="StrategyResponseProperties.Verified"/> true. When none passes,
/// <see cref="VerifierChatClientOptions.WhenNonePass"/> decides: return the first sample with
/// <see cref="StrategyResponseProperties.Verified"/> false (default), or throw <see cref="NoPassingSampleException"/>.
/// </summary>
/// <remarks>
/// <para>
/// The response also sets <see cref="StrategyResponseProperties.Verdicts"/>, <see cref="StrategyResponseProperties.Candidates"/>,
/// <see cref="StrategyResponseProperties.SelectedIndex"/>, <see cref="StrategyResponseProperties.Reason"/> and, with an
/// extractor, <see cref="StrategyResponseProperties.Answer"/>; its usage is the sum over every sample.
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
public sealed class VerifierChatClient : DelegatingChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key of a per-request <see cref="VerificationContext"/>.</summary>
    public const string ContextProperty = "slingshot.verification_context";

    private readonly RepeatedSampler _sampler;

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
        Verifier = verifier;
        Options = options;
        _sampler = new RepeatedSampler(innerClient, options.Sampling);
    }

    /// <summary>The judge of each sample.</summary>
    public IVerifier Verifier { get; }

    /// <summary>Sampling, context and the behavior when none pass.</summary>
    public VerifierChatClientOptions Options { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var context = Options.Context;
        if (options?.AdditionalProperties?.TryGetValue(ContextProperty, out var value) == true)
        {
            context = value as VerificationContext
                ?? throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{ContextProperty}\"] must be a {nameof(VerificationContext)}.", nameof(options));
            options = options.Clone();
            options.AdditionalProperties!.Remove(ContextProperty);
        }

        var result = await _sampler.SampleAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var answers = result.Candidates.Select(c => Options.Extractor?.Extract(c.Text)).ToList();
        var judged = await FirstPassing.SelectAsync(
            result.Candidates.Select(c => c.Text).ToList(),
            Verifier,
            i => context.WithAnswer(answers[i]),
            Options.MaxParallelism,
            cancellationToken).ConfigureAwait(false);

        if (judged.Index is null && Options.WhenNonePass == NoPassingSampleBehavior.Throw)
        {
            throw new NoPassingSampleException(Verifier.Name, result.Candidates, judged.Verdicts, result.Usage);
        }

        var index = judged.Index ?? 0;
        AdditionalPropertiesDictionary details = new()
        {
            [StrategyResponseProperties.Verified] = judged.Passed,
            [StrategyResponseProperties.Verdicts] = judged.Verdicts,
        };
        if (index < answers.Count && answers[index] is { } selectedAnswer)
        {
            details[StrategyResponseProperties.Answer] = selectedAnswer;
        }
        var reason = judged.ToSelection().Reason + (judged.Passed ? string.Empty : "; returned the first");
        return CandidateResponses.Create(result, index, reason, details);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        CandidateResponses.StreamAsync(ct => GetResponseAsync(messages, options, ct), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Answers <see cref="ConfidenceSignals"/> with what its responses report (log-probabilities when its samples have them; no vote).</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ConfidenceSignals)
            ? new ConfidenceSignals(Agreement: false, MeanLogprob: _sampler.ReportsLogprobs)
            : base.GetService(serviceType, serviceKey);
}

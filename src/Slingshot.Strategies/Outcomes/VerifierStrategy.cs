using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies;

/// <summary>
/// Verifier selection: draws k samples and answers with the first one (lowest index) the verifier passes, with
/// <see cref="StrategyOutcome.Verified"/> true. When none passes, <see cref="VerifierChatClientOptions.WhenNonePass"/>
/// decides: answer with the first sample marked unverified (default), or throw <see cref="NoPassingSampleException"/>.
/// The outcome holds every verdict and candidate and, with an extractor, the returned sample's answer.
/// </summary>
/// <remarks>
/// The verification context is the configured one unless the request carries a <see cref="VerificationContext"/> under
/// <see cref="VerifierChatClient.ContextProperty"/> in <see cref="ChatOptions.AdditionalProperties"/> (a per-problem
/// reference or test code); that entry is removed from the options the samples are drawn with.
/// </remarks>
public sealed class VerifierStrategy : IStrategy
{
    /// <summary>Creates the strategy over <paramref name="sampler"/>'s samples.</summary>
    public VerifierStrategy(RepeatedSampler sampler, IVerifier verifier, VerifierChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(verifier);
        options ??= new VerifierChatClientOptions();
        options.Validate();
        Sampler = sampler;
        Verifier = verifier;
        Options = options;
    }

    /// <summary>Where the samples come from.</summary>
    public RepeatedSampler Sampler { get; }

    /// <summary>The judge of each sample.</summary>
    public IVerifier Verifier { get; }

    /// <summary>Context, extractor, parallelism and the behavior when none pass (its sampling options are the sampler's).</summary>
    public VerifierChatClientOptions Options { get; }

    /// <inheritdoc />
    public async Task<StrategyResult> AnswerAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var context = Options.Context;
        if (options?.AdditionalProperties?.TryGetValue(VerifierChatClient.ContextProperty, out var value) == true)
        {
            context = value as VerificationContext
                ?? throw new ArgumentException(
                    $"ChatOptions.AdditionalProperties[\"{VerifierChatClient.ContextProperty}\"] must be a {nameof(VerificationContext)}.", nameof(options));
            options = options.Clone();
            options.AdditionalProperties!.Remove(VerifierChatClient.ContextProperty);
        }

        var result = await Sampler.SampleAsync(messages, options, cancellationToken).ConfigureAwait(false);
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
        return result.Select(index, new StrategyOutcome
        {
            Reason = judged.ToSelection().Reason + (judged.Passed ? string.Empty : "; returned the first"),
            Answer = index < answers.Count ? answers[index] : null,
            Verified = judged.Passed,
            Verdicts = judged.Verdicts,
        });
    }
}

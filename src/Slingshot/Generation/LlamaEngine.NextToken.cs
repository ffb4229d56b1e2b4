using Slingshot.Generation;

namespace Slingshot;

// The model's next-token distribution after a prompt, read through the decode loop like any other request.
public sealed partial class LlamaEngine
{
    /// <summary>
    /// The log-probability of every token of the vocabulary as the next token after the request's prompt (the
    /// log-softmax of the raw logits, before any sampler setting). Only the prompt fields of
    /// <paramref name="request"/> are used; no token is sampled. Entry i is token i's.
    /// </summary>
    public async Task<float[]> GetNextTokenLogprobsAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var logits = await CaptureNextTokenLogitsAsync(request, cancellationToken).ConfigureAwait(false);
        LogSoftmax.InPlace(logits);
        return logits;
    }

    /// <summary>
    /// The log-probabilities of <paramref name="tokenIds"/> as the next token after the request's prompt, in the
    /// order given: exact values from the model's full distribution, whether or not a token is among the likely ones.
    /// </summary>
    public async Task<float[]> ScoreNextTokensAsync(GenerationRequest request, IReadOnlyList<int> tokenIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        foreach (var token in tokenIds)
        {
            Model.Vocabulary.CheckToken(token);
        }
        var logprobs = await GetNextTokenLogprobsAsync(request, cancellationToken).ConfigureAwait(false);
        return tokenIds.Select(t => logprobs[t]).ToArray();
    }

    private async Task<float[]> CaptureNextTokenLogitsAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // One sequence and one cell past the prompt: the request never samples, so its sampler settings do not matter.
        var state = Prepare(request with { SampleCount = 1, MaxTokens = 1, Sampling = SamplerSettings.Greedy, TopLogprobs = null, StopSequences = [] });
        state.StreamTokens = false;
        state.CaptureNextTokenLogits = true;
        await foreach (var _ in SubmitAsync(state, speculative: false, cancellationToken).ConfigureAwait(false))
        {
        }
        cancellationToken.ThrowIfCancellationRequested();
        return state.NextTokenLogits ?? throw new InvalidOperationException("The decode loop ended a request without its next-token logits.");
    }
}

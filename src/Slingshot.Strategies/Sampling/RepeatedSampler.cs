using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Sampling;

/// <summary>
/// Draws k samples of one prompt from any <see cref="IChatClient"/>. A client that exposes
/// <see cref="ISampleGenerator"/> (the local engine) gets one call and forks the decoded prompt into k
/// sequences; any other client gets k concurrent <see cref="IChatClient.GetResponseAsync"/> calls, at most
/// <see cref="RepeatedSamplingOptions.MaxConcurrency"/> at a time, call i with seed <c>seed + i</c> when the
/// request sets a seed, so the k samples differ and a rerun reproduces them.
/// </summary>
public sealed class RepeatedSampler
{
    /// <summary>The finish reason of a sample the engine stopped because the request was cancelled.</summary>
    public static ChatFinishReason Cancelled { get; } = new("cancelled");

    /// <summary>Creates a sampler over <paramref name="client"/>.</summary>
    /// <param name="client">Where the samples come from; not owned.</param>
    /// <param name="options">Count and concurrency; default <see cref="RepeatedSamplingOptions"/>.</param>
    public RepeatedSampler(IChatClient client, RepeatedSamplingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        options ??= new RepeatedSamplingOptions();
        options.Validate();
        Client = client;
        Options = options;
    }

    /// <summary>The client the samples come from.</summary>
    public IChatClient Client { get; }

    /// <summary>How many samples and how.</summary>
    public RepeatedSamplingOptions Options { get; }

    /// <summary>Draws <see cref="RepeatedSamplingOptions.Count"/> samples of a reply to <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">Temperature, top-p, maximum tokens and seed of every sample; never modified.</param>
    /// <param name="cancellationToken">Cancels every call in flight.</param>
    /// <returns>The candidates in index order with the usage of all calls together.</returns>
    public async Task<RepeatedSamplingResult> SampleAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Parallel calls enumerate the conversation concurrently; a lazy sequence must be read once.
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();

        if (Options.PreferSampleGenerator && Client.GetService<ISampleGenerator>() is { } generator)
        {
            return await ForkAsync(generator, conversation, options, cancellationToken).ConfigureAwait(false);
        }
        return await CallInParallelAsync(conversation, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RepeatedSamplingResult> ForkAsync(ISampleGenerator generator, IReadOnlyList<ChatMessage> conversation,
        ChatOptions? options, CancellationToken cancellationToken)
    {
        var result = await generator.GenerateSamplesAsync(conversation, Options.Count, options, Options.TopLogprobs, cancellationToken)
            .ConfigureAwait(false);
        var candidates = result.Samples
            .Select(s => new Candidate(s.Index, s.Text, s.MeanLogprob, Map(s.FinishReason), s.Seed, ToUsageDetails(s.Usage)))
            .ToList();
        var modelId = Client.GetService<ChatClientMetadata>()?.DefaultModelId;
        return new RepeatedSamplingResult(candidates, ToUsageDetails(result.Usage), modelId, UsedSampleGenerator: true);
    }

    private async Task<RepeatedSamplingResult> CallInParallelAsync(IReadOnlyList<ChatMessage> conversation, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(Options.MaxConcurrency);
        var baseSeed = options?.Seed;

        async Task<ChatResponse> DrawAsync(int index)
        {
            await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            try
            {
                var callOptions = options?.Clone();
                if (baseSeed is { } seed)
                {
                    callOptions!.Seed = unchecked(seed + index);
                }
                return await Client.GetResponseAsync(conversation, callOptions, failed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed sample fails the draw: stop the others instead of paying for them.
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, Options.Count).Select(DrawAsync)).ConfigureAwait(false);

        var usage = new UsageDetails();
        var candidates = new List<Candidate>(responses.Length);
        for (var i = 0; i < responses.Length; i++)
        {
            var response = responses[i];
            if (response.Usage is { } sampleUsage)
            {
                usage.Add(sampleUsage);
            }
            long? seed = baseSeed is { } s ? unchecked(s + i) : null;
            candidates.Add(new Candidate(i, response.Text, null, response.FinishReason, seed, response.Usage));
        }
        return new RepeatedSamplingResult(candidates, usage, responses.FirstOrDefault()?.ModelId, UsedSampleGenerator: false);
    }

    private static ChatFinishReason Map(FinishReason reason) => reason switch
    {
        FinishReason.Stop => ChatFinishReason.Stop,
        FinishReason.Length => ChatFinishReason.Length,
        _ => Cancelled,
    };

    private static UsageDetails ToUsageDetails(TokenUsage usage) => new()
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
    };
}

namespace Slingshot.Strategies.Sampling;

/// <summary>
/// How many samples to draw and how. Temperature, top-p, maximum tokens and the seed are not here: they
/// come from the <see cref="Microsoft.Extensions.AI.ChatOptions"/> of each request.
/// </summary>
public sealed record RepeatedSamplingOptions
{
    /// <summary>Samples per prompt (k). Default 8.</summary>
    public int Count { get; init; } = 8;

    /// <summary>
    /// Most requests in flight at once when the client cannot fork (parallel calls). Default 4. A forked draw
    /// is one request, and the engine queues its sequences itself.
    /// </summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>
    /// Log-probabilities to ask for: null none, 0 the chosen tokens' (enough for best-of-n and logprob
    /// weights), N also N alternatives. Only a client whose <see cref="ISampleSource"/> supports them reports them;
    /// other clients' samples carry no mean log-probability.
    /// </summary>
    public int? TopLogprobs { get; init; }

    /// <summary>
    /// Use the client's <see cref="ISampleSource"/> when it has one (default). false forces k separate
    /// calls through <see cref="Microsoft.Extensions.AI.IChatClient.GetResponseAsync"/>, so that middleware
    /// between this sampler and the engine sees every call.
    /// </summary>
    public bool PreferSampleSource { get; init; } = true;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (Count < 1) throw new ArgumentException($"Sample count must be >= 1 (got {Count}).");
        if (MaxConcurrency < 1) throw new ArgumentException($"Concurrency must be >= 1 (got {MaxConcurrency}).");
        if (TopLogprobs is < 0) throw new ArgumentException($"Top log-probabilities must be >= 0 (got {TopLogprobs}).");
    }
}

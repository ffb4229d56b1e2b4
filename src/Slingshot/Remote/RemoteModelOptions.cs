namespace Slingshot.Remote;

/// <summary>
/// A model behind an OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp's llama-server, Ollama, OpenAI, or another
/// <c>slingshot serve</c>) and how to talk to it. Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record RemoteModelOptions
{
    /// <summary>The environment variable read for the API key when none is named.</summary>
    public const string DefaultApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>Base URL of the OpenAI-compatible API, e.g. <c>http://gpu-box:8000/v1</c>.</summary>
    public required string Url { get; init; }

    /// <summary>The model name the endpoint knows.</summary>
    public required string Model { get; init; }

    /// <summary>
    /// Environment variable holding the API key. When it is unset or empty the key "none" is sent, which local
    /// servers accept; hosted ones answer 401.
    /// </summary>
    public string ApiKeyVariable { get; init; } = DefaultApiKeyVariable;

    /// <summary>Time one attempt may take, response body included; an attempt that runs over is retried like a 503.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Retries after the first attempt on 408, 429, 5xx, network errors and timeouts (0 = none).</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First retry's delay; each further retry doubles it, with jitter, unless the server sends Retry-After.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before a retry, whatever the backoff or the server's Retry-After asks for.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>HTTP requests in flight to this endpoint at once; more wait for a free slot (a retry's wait holds none).</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>
    /// Whether n samples go out as one request with <c>n</c>: null (default) tries it and, when the endpoint rejects
    /// <c>n</c> or returns fewer choices, falls back to parallel requests and remembers that for this endpoint;
    /// true always sends <c>n</c>; false always sends parallel requests.
    /// </summary>
    public bool? UseNativeN { get; init; }

    /// <summary>The price of the endpoint's tokens, for the cost ledger; null = none configured (costs count as 0).</summary>
    public TokenPrice? Price { get; init; }

    /// <summary>The endpoint as an absolute http(s) URI (call <see cref="Validate"/> first).</summary>
    public Uri Endpoint => new(Url, UriKind.Absolute);

    /// <summary>Throws an <see cref="ArgumentException"/> with a one-line reason when a setting is unusable.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The endpoint URL must be an absolute http(s) URL such as http://localhost:8000/v1 (got '{Url}').");
        }
        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException($"The endpoint {Url} needs a model name (the name the server knows).");
        }
        if (string.IsNullOrWhiteSpace(ApiKeyVariable))
        {
            throw new ArgumentException("The API key variable must name an environment variable.");
        }
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"The endpoint timeout must be positive and at most a day (got {Timeout}).");
        }
        if (MaxRetries is < 0 or > 100)
        {
            throw new ArgumentException($"Endpoint retries must be between 0 and 100 (got {MaxRetries}).");
        }
        if (RetryDelay < TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            throw new ArgumentException($"The retry delay must be >= 0 and at most the longest retry delay (got {RetryDelay} and {MaxRetryDelay}).");
        }
        if (MaxConcurrency < 1)
        {
            throw new ArgumentException($"Endpoint concurrency must be at least 1 (got {MaxConcurrency}).");
        }
        Price?.Validate();
    }
}

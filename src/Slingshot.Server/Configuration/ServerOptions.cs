namespace Slingshot.Server.Configuration;

/// <summary>
/// Everything <c>slingshot serve</c> runs with, bound from configuration (appsettings.json, environment variables
/// prefixed <c>SLINGSHOT_</c>, command-line overrides) under the section "Slingshot".
/// </summary>
public sealed class ServerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Slingshot";

    /// <summary>Address to listen on. Default loopback only.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Local GGUF models served under their names.</summary>
    public List<LocalModelOptions> Models { get; set; } = [];

    /// <summary>Remote OpenAI-compatible endpoints, served under their names and usable as a cascade's fallback.</summary>
    public List<RemoteEndpointOptions> Endpoints { get; set; } = [];

    /// <summary>Virtual models: strategies built from the local models (for example k samples and a majority vote).</summary>
    public List<VirtualModelOptions> VirtualModels { get; set; } = [];

    /// <summary>Bearer keys accepted; empty means no authentication, which is allowed only on a loopback address.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Serve without API keys on a non-loopback address (an explicit, logged opt-out).</summary>
    public bool AllowUnauthenticatedRemote { get; set; }

    /// <summary>Request limits.</summary>
    public ServerLimits Limits { get; set; } = new();

    /// <summary>Seconds in-flight requests get to finish at shutdown before they are cancelled.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 10;
}

/// <summary>A local model.</summary>
public sealed class LocalModelOptions
{
    /// <summary>Name clients use in "model".</summary>
    public string Name { get; set; } = "";
    /// <summary>GGUF file.</summary>
    public string Path { get; set; } = "";
    /// <summary>Decode threads (default: the machine's cores).</summary>
    public int? Threads { get; set; }
    /// <summary>Context size shared by all sequences (0 = the model's, at most 4096).</summary>
    public int ContextSize { get; set; }
    /// <summary>Parallel sequences (slots) decoded together.</summary>
    public int Sequences { get; set; } = 8;
    /// <summary>
    /// Give each sequence its own KV cells (ContextSize / Sequences of them, like llama-server's slots) instead of one
    /// cache shared by all: attention then reads only the sequence's own cells, faster with many concurrent
    /// requests; the shared cache (default) fits longer prompts and shares a forked prompt's cells.
    /// </summary>
    public bool SplitKvCache { get; set; }
    /// <summary>
    /// Keep the KV cells of finished prompts so that a request beginning like one of them (a shared system prompt,
    /// the earlier turns of a chat, few-shot exemplars) prefills only the rest. null (default): on for quantized
    /// models, off for F32/F16/BF16 ones (see <see cref="Slingshot.EngineOptions.PrefixCache"/>); false: off.
    /// </summary>
    public bool? PrefixCache { get; set; }
    /// <summary>
    /// Most tokens the prefix cache keeps (null: as many prompts as sequences, in the cells running requests leave
    /// free with a shared KV cache, a stream each with a split one; see <see cref="Slingshot.EngineOptions.PrefixCacheTokens"/>).
    /// </summary>
    public int? PrefixCacheTokens { get; set; }
    /// <summary>LoRA adapters as path[:scale].</summary>
    public List<string> Lora { get; set; } = [];
    /// <summary>Chat template override (a built-in name or template text); the model's own by default.</summary>
    public string? ChatTemplate { get; set; }
    /// <summary>Draft model (GGUF sharing this model's vocabulary) for speculative decoding of single-sample requests.</summary>
    public string? Draft { get; set; }
    /// <summary>Most tokens drafted per verification pass.</summary>
    public int DraftMax { get; set; } = 6;
    /// <summary>Speculative decoding by prompt lookup (n-grams copied from the prompt and output; no draft model needed).</summary>
    public bool PromptLookup { get; set; }
    /// <summary>
    /// Memory-map the model file (and the draft's) instead of reading it into memory. Off by default: a mapped file
    /// that is truncated or rewritten in place while served (<c>cp</c> over it, <c>: &gt; model.gguf</c>) ends the
    /// process with SIGBUS at the next request, so the server reads its models once at start and no later change to
    /// the files can reach it. Mapping starts faster for large models and shares pages between processes; replace a
    /// mapped file with a rename (<c>mv</c>), never in place.
    /// </summary>
    public bool MemoryMap { get; set; }
}

/// <summary>A remote model behind an OpenAI-compatible endpoint.</summary>
public sealed class RemoteEndpointOptions
{
    /// <summary>Name clients (and cascades) use.</summary>
    public string Name { get; set; } = "";
    /// <summary>Base URL, e.g. http://gpu-box:8000/v1.</summary>
    public string Url { get; set; } = "";
    /// <summary>Model name at the endpoint.</summary>
    public string Model { get; set; } = "";
    /// <summary>Environment variable holding its API key (none needed for most local servers).</summary>
    public string ApiKeyVariable { get; set; } = "OPENAI_API_KEY";
    /// <summary>Seconds one request attempt may take (response included) before it is retried.</summary>
    public double TimeoutSeconds { get; set; } = 120;
    /// <summary>Retries on 408, 429, 5xx, network errors and timeouts, with exponential backoff and jitter, honouring Retry-After.</summary>
    public int MaxRetries { get; set; } = 4;
    /// <summary>HTTP requests in flight to this endpoint at once; more wait for a free slot.</summary>
    public int MaxConcurrency { get; set; } = 8;
    /// <summary>n samples as one request with "n": null tries it and falls back to parallel requests; true always; false never.</summary>
    public bool? UseNativeN { get; set; }
    /// <summary>Price in US dollars per million prompt tokens.</summary>
    public double InputPricePerMillion { get; set; }
    /// <summary>Price in US dollars per million completion tokens.</summary>
    public double OutputPricePerMillion { get; set; }
}

/// <summary>A virtual model: a strategy over a local model or a remote endpoint.</summary>
public sealed class VirtualModelOptions
{
    /// <summary>Name clients use in "model".</summary>
    public string Name { get; set; } = "";
    /// <summary>
    /// "vote" (k samples, majority vote over extracted answers), "cascade" (the vote first, <see cref="Fallback"/> when
    /// agreement is below <see cref="Threshold"/>), "ensemble" (the vote over samples drawn from all <see cref="Members"/>)
    /// or "router" (a trained router, <see cref="RouterPath"/>, sends each request either to <see cref="Model"/> or to
    /// <see cref="Fallback"/> before either runs).
    /// </summary>
    public string Strategy { get; set; } = "vote";
    /// <summary>The local model or remote endpoint it draws from.</summary>
    public string Model { get; set; } = "";
    /// <summary>Samples per request.</summary>
    public int Samples { get; set; } = 8;
    /// <summary>Extractor name (see the extractor registry), e.g. gsm8k-flexible.</summary>
    public string Extractor { get; set; } = "gsm8k-flexible";
    /// <summary>Ensemble: the local models and endpoints whose samples are voted together, each drawing an equal share.</summary>
    public List<string> Members { get; set; } = [];
    /// <summary>Cascade: the served model (usually a remote endpoint) asked when the local samples disagree; router: the large tier.</summary>
    public string? Fallback { get; set; }
    /// <summary>Cascade: the least agreement (winner's share of the votes) answered locally.</summary>
    public double Threshold { get; set; } = 0.5;
    /// <summary>Router: the router file written by <c>slingshot route train</c> (its calibrated threshold applies).</summary>
    public string? RouterPath { get; set; }
    /// <summary>
    /// Cascade: a config file from 'slingshot cascade calibrate'. Its first tier's samples and threshold replace
    /// <see cref="Samples"/> and <see cref="Threshold"/>; a later tier's Model names the served model that answers
    /// it (the second tier defaults to <see cref="Fallback"/>).
    /// </summary>
    public string? CascadeConfig { get; set; }
}

/// <summary>Limits every request is checked against; breaking one is a 4xx in OpenAI's error format.</summary>
public sealed class ServerLimits
{
    /// <summary>Largest request body in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 1 << 20;
    /// <summary>Most messages in one chat request.</summary>
    public int MaxMessages { get; set; } = 256;
    /// <summary>Largest n.</summary>
    public int MaxN { get; set; } = 16;
    /// <summary>Largest max_tokens.</summary>
    public int MaxTokens { get; set; } = 4096;
    /// <summary>max_tokens when the request gives none (a request without a cap would reserve the whole context).</summary>
    public int DefaultMaxTokens { get; set; } = 512;
    /// <summary>Requests waiting or running per model before new ones get 429.</summary>
    public int MaxQueue { get; set; } = 64;
}

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;

namespace Slingshot.Server.Tests.Support;

/// <summary>
/// The real server over the real engine (stories260K, one decode thread) on a free loopback port. Each derived
/// fixture is one configuration; a test class takes the one it needs as its class fixture.
/// </summary>
public abstract class ServerFixture : IAsyncLifetime
{
    /// <summary>Name the local model is served under.</summary>
    public const string Model = "stories";

    private WebApplication? _app;
    private ModelCatalog? _catalog;

    public ServerOptions Options { get; private set; } = new();

    /// <summary>http://127.0.0.1:{port}, without a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What the server logged (its last few thousand lines).</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>The served models (tests read engine-side counters through it).</summary>
    internal ModelCatalog Catalog => _catalog ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>A client for the server (API key already set when the configuration has one).</summary>
    public HttpClient Http { get; private set; } = new();

    /// <summary>Options every configuration starts from: one small local model with a ChatML template.</summary>
    public static ServerOptions BaseOptions(string urls) => new()
    {
        Urls = urls,
        Models =
        [
            new LocalModelOptions
            {
                Name = Model,
                Path = TestPaths.Stories260K,
                ChatTemplate = "chatml",
                Threads = 1,
                ContextSize = 2048,
                Sequences = 8,
            },
        ],
    };

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Adjusts the options of this configuration.</summary>
    protected virtual void Configure(ServerOptions options)
    {
    }

    /// <summary>Adds entries options cannot describe to the loaded catalog (before the server starts).</summary>
    protected virtual void Extend(ModelCatalog catalog)
    {
    }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        Options = BaseOptions(BaseUrl);
        Configure(Options);
        _catalog = new ModelCatalog(Options);
        Extend(_catalog);
        _app = SlingshotServer.Build(Options, _catalog, logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Information));
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        if (Options.ApiKeys.Count > 0)
        {
            Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Options.ApiKeys[0]);
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _catalog?.Dispose();
    }
}

/// <summary>Default limits, no authentication.</summary>
public sealed class DefaultServerFixture : ServerFixture
{
    // stories260K is F32, where the prefix cache is off by default; the default server's tests run with it on, so
    // every endpoint is exercised on top of reused prefixes and /metrics shows the cache's counters move.
    protected override void Configure(ServerOptions options) => options.Models[0].PrefixCache = true;
}

/// <summary>Room for the load test's 32 clients: 32 sequences in one context.</summary>
public sealed class LoadServerFixture : ServerFixture
{
    protected override void Configure(ServerOptions options)
    {
        options.Models[0].Sequences = 32;
        options.Models[0].ContextSize = 4096;
    }
}

/// <summary>Two accepted API keys.</summary>
public sealed class ApiKeyServerFixture : ServerFixture
{
    public static readonly string[] Keys = ["test-key-one", "test-key-two"];

    protected override void Configure(ServerOptions options) => options.ApiKeys.AddRange(Keys);
}

/// <summary>Tiny limits (so each one can be broken cheaply) and a tiny context (so a long prompt overflows it).</summary>
public sealed class TinyLimitsServerFixture : ServerFixture
{
    protected override void Configure(ServerOptions options)
    {
        options.Models[0].ContextSize = 256;
        options.Models[0].Sequences = 4;
        options.Limits = new ServerLimits
        {
            MaxBodyBytes = 4096,
            MaxMessages = 4,
            MaxN = 2,
            MaxTokens = 32,
            DefaultMaxTokens = 16,
            MaxQueue = 1,
        };
    }
}

/// <summary>A "vote" virtual model over the local one.</summary>
public sealed class VoteServerFixture : ServerFixture
{
    public const string VoteModel = "stories-vote";

    protected override void Configure(ServerOptions options) =>
        options.VirtualModels.Add(new VirtualModelOptions { Name = VoteModel, Model = Model, Samples = 3, Extractor = "gsm8k-flexible" });
}

/// <summary>
/// Beside the local model, "stories-failing": a model that decodes through the local one and then fails the way the
/// decode loop does when llama_decode returns an error (a <see cref="SlingshotException"/>).
/// </summary>
public sealed class FailingEngineServerFixture : ServerFixture
{
    public const string FailingModel = "stories-failing";
    public const string Failure = "llama_decode failed: no free KV cells for the batch.";

    protected override void Extend(ModelCatalog catalog) =>
        catalog.Add(new StrategyModel(FailingModel, new FailAfterDecodingChatClient(catalog.Find(Model)!.Client)));

    private sealed class FailAfterDecodingChatClient(Microsoft.Extensions.AI.IChatClient inner) : Microsoft.Extensions.AI.DelegatingChatClient(inner)
    {
        public override async Task<Microsoft.Extensions.AI.ChatResponse> GetResponseAsync(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages,
            Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await base.GetResponseAsync(messages, options, cancellationToken);
            throw new SlingshotException(Failure);
        }
    }
}

/// <summary>The local model with itself as its draft model: speculative decoding on, 8 sequences.</summary>
public sealed class DraftServerFixture : ServerFixture
{
    protected override void Configure(ServerOptions options) => options.Models[0].Draft = TestPaths.Stories260K;
}

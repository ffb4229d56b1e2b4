using Microsoft.Extensions.AI;

namespace Slingshot.Server.Hosting;

/// <summary>
/// A model the server answers for: a local engine (requests go straight to its decode loop, n samples forked) or a
/// virtual model (a strategy pipeline over a local one). Counts requests waiting or running, for the queue limit.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly IDisposable? _owned;
    private readonly IChatClient _answering;
    private int _inFlight;

    internal ServedModel(string name, IChatClient client, LlamaChatClient? local, LlamaEngine? engine, string ownedBy, IDisposable? owned = null)
    {
        _owned = owned;
        _answering = client;
        Name = name;
        // GenAI spans and metrics for every call through the catalog, strategies' calls to other entries included.
        Client = new ChatClientBuilder(client).UseOpenTelemetry(sourceName: Observability.Telemetry.ChatClientSource).Build();
        Local = local;
        Engine = engine;
        OwnedBy = ownedBy;
    }

    /// <summary>Name in "model".</summary>
    public string Name { get; }
    /// <summary>What answers (the local client, the remote one, or the strategy pipeline), behind OpenTelemetry's chat-client middleware.</summary>
    public IChatClient Client { get; }
    /// <summary>The local chat client (the engine's <see cref="ISampleSource"/>) when this is a local model, else null.</summary>
    public LlamaChatClient? Local { get; }
    /// <summary>The engine this model owns (null for virtual models).</summary>
    public LlamaEngine? Engine { get; }
    /// <summary>"slingshot" for local models, "slingshot-strategy" for virtual ones.</summary>
    public string OwnedBy { get; }
    /// <summary>Creation time reported by /v1/models.</summary>
    public long Created { get; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    /// <summary>Requests waiting or running.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Admits a request unless <paramref name="maxQueue"/> are already in flight.</summary>
    public bool TryEnter(int maxQueue)
    {
        if (Interlocked.Increment(ref _inFlight) <= maxQueue)
        {
            return true;
        }
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>Marks a request done.</summary>
    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Whether this entry is a remote endpoint (a source of samples, not a strategy).</summary>
    internal bool IsRemote => _answering is Slingshot.Remote.RemoteChatClient;

    /// <inheritdoc />
    public void Dispose()
    {
        Engine?.Dispose();
        // A remote endpoint's client owns its connections; strategies over it do not, so only its own entry closes them.
        if (_answering is Slingshot.Remote.RemoteChatClient remote)
        {
            remote.Dispose();
        }
        _owned?.Dispose();
    }
}

using Microsoft.Extensions.AI;

namespace Slingshot.Server.Hosting;

/// <summary>
/// A model the server answers for: a local engine (requests go straight to its decode loop, n samples forked) or a
/// virtual model (a strategy pipeline over a local one). Counts requests waiting or running, for the queue limit.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly IDisposable? _owned;
    private int _inFlight;

    internal ServedModel(string name, IChatClient client, LlamaChatClient? local, LlamaEngine? engine, string ownedBy, IDisposable? owned = null)
    {
        _owned = owned;
        Name = name;
        Client = client;
        Local = local;
        Engine = engine;
        OwnedBy = ownedBy;
    }

    /// <summary>Name in "model".</summary>
    public string Name { get; }
    /// <summary>What answers (the local client, or the strategy pipeline).</summary>
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

    /// <inheritdoc />
    public void Dispose()
    {
        Engine?.Dispose();
        // A remote endpoint's client owns its connections; strategies over it do not, so only its own entry closes them.
        if (Client is Slingshot.Remote.RemoteChatClient remote)
        {
            remote.Dispose();
        }
        _owned?.Dispose();
    }
}

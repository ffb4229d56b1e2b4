using Microsoft.Extensions.AI;

namespace Slingshot.Server.Hosting;

/// <summary>
/// A model the server answers for, one of two kinds: a <see cref="SourceModel"/> draws samples (a local engine, a
/// remote endpoint) and a <see cref="StrategyModel"/> answers through a strategy pipeline over sources. Counts
/// requests waiting or running, for the queue limit.
/// </summary>
public abstract class ServedModel : IDisposable
{
    private int _inFlight;

    private protected ServedModel(string name, IChatClient client)
    {
        Name = name;
        // GenAI spans and metrics for every call through the catalog, strategies' calls to other entries included.
        Client = new ChatClientBuilder(client).UseOpenTelemetry(sourceName: Observability.Telemetry.ChatClientSource).Build();
    }

    /// <summary>Name in "model".</summary>
    public string Name { get; }
    /// <summary>What answers a conversation with one response, behind OpenTelemetry's chat-client middleware.</summary>
    public IChatClient Client { get; }
    /// <summary>The <c>owned_by</c> of /v1/models, which follows from the kind.</summary>
    public abstract string OwnedBy { get; }
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
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what this entry owns (never the entries a strategy draws from: the catalog disposes those).</summary>
    protected abstract void Dispose(bool disposing);
}

/// <summary>A model that draws samples: n of a conversation (and, where <see cref="ISampleSource.Info"/> says so, of a raw prompt).</summary>
public class SourceModel : ServedModel
{
    private readonly IDisposable? _owned;

    /// <summary>A source answering through <paramref name="client"/>, which also samples through <paramref name="source"/>.</summary>
    internal SourceModel(string name, IChatClient client, ISampleSource source, IDisposable? owned)
        : base(name, client)
    {
        Source = source;
        _owned = owned;
    }

    /// <summary>Where samples come from.</summary>
    public ISampleSource Source { get; }

    /// <summary>"remote": a source that is not a <see cref="LocalModel"/> is an endpoint.</summary>
    public override string OwnedBy => "remote";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _owned?.Dispose();
        }
    }
}

/// <summary>A local model: its engine's decode loop answers, n samples forked from one decoded prompt.</summary>
public sealed class LocalModel : SourceModel
{
    internal LocalModel(string name, LlamaChatClient chat, LlamaEngine engine)
        : base(name, chat, chat, engine)
    {
        Chat = chat;
        Engine = engine;
    }

    /// <summary>The chat client over the engine (its chat template, tools and reply parsing).</summary>
    public LlamaChatClient Chat { get; }
    /// <summary>The engine this model owns (its statistics feed the metrics).</summary>
    public LlamaEngine Engine { get; }

    /// <inheritdoc />
    public override string OwnedBy => "slingshot";
}

/// <summary>A strategy pipeline (vote, cascade, router, ensemble) over sources: one chosen response per call, no log-probabilities.</summary>
public sealed class StrategyModel : ServedModel
{
    private readonly IDisposable? _owned;

    internal StrategyModel(string name, IChatClient strategy, IDisposable? owned = null)
        : base(name, strategy) => _owned = owned;

    /// <inheritdoc />
    public override string OwnedBy => "slingshot-strategy";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _owned?.Dispose();
        }
    }
}

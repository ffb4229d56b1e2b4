using System.Globalization;
using Microsoft.Extensions.AI;
using Slingshot.Server.Configuration;
using Slingshot.Strategies;
using Slingshot.Strategies.Extraction;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Server.Hosting;

/// <summary>The models a server answers for, loaded once at start-up from <see cref="ServerOptions"/>.</summary>
public sealed class ModelCatalog : IDisposable
{
    private readonly Dictionary<string, ServedModel> _models = new(StringComparer.Ordinal);

    /// <summary>Loads every configured model; a bad entry is a one-line <see cref="SlingshotException"/> naming it.</summary>
    public ModelCatalog(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            foreach (var local in options.Models)
            {
                Add(LoadLocal(local));
            }
            foreach (var endpoint in options.Endpoints)
            {
                Add(ConnectRemote(endpoint));
            }
            foreach (var strategy in options.VirtualModels)
            {
                Add(BuildVirtual(strategy));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
        if (_models.Count == 0)
        {
            throw new SlingshotException("No models configured; give at least one (--model name=path.gguf, or Slingshot:Models in the configuration).");
        }
    }

    /// <summary>The served models, in configuration order.</summary>
    public IReadOnlyCollection<ServedModel> Models => _models.Values;

    /// <summary>The model named <paramref name="name"/>, or null.</summary>
    public ServedModel? Find(string name) => _models.GetValueOrDefault(name);

    private void Add(ServedModel model)
    {
        if (!_models.TryAdd(model.Name, model))
        {
            model.Dispose();
            throw new SlingshotException($"Model name '{model.Name}' is configured twice.");
        }
    }

    private static ServedModel LoadLocal(LocalModelOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Name) || string.IsNullOrWhiteSpace(options.Path))
        {
            throw new SlingshotException("Every model needs a Name and a Path.");
        }
        var model = LlamaModel.Load(options.Path);
        var adapters = new List<(LoraAdapter, float)>();
        LlamaModel? draft = null;
        try
        {
            draft = options.Draft is { Length: > 0 } draftPath ? LlamaModel.Load(draftPath) : null;
            foreach (var spec in options.Lora)
            {
                var colon = spec.LastIndexOf(':');
                var (file, scale) = colon > 0 && float.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                    ? (spec[..colon], s) : (spec, 1f);
                adapters.Add((model.LoadLoraAdapter(file), scale));
            }
            var engine = new LlamaEngine(model, new EngineOptions
            {
                ContextSize = options.ContextSize,
                MaxSequences = options.Sequences,
                Threads = options.Threads,
                SharedKvCache = !options.SplitKvCache,
                LoraAdapters = adapters,
                Speculative = draft is null && !options.PromptLookup ? null
                    : new SpeculativeOptions { DraftModel = draft, OwnsDraftModel = true, PromptLookup = options.PromptLookup, DraftMax = options.DraftMax },
            }, ownsModel: true);
            var client = new LlamaChatClient(engine, new LlamaChatClientOptions { ModelId = options.Name, ChatTemplate = options.ChatTemplate });
            return new ServedModel(options.Name, client, client, engine, "slingshot");
        }
        catch
        {
            adapters.ForEach(a => a.Item1.Dispose());
            draft?.Dispose();
            model.Dispose();
            throw;
        }
    }

    private ServedModel BuildVirtual(VirtualModelOptions options)
    {
        if (_models.GetValueOrDefault(options.Model) is not { Local: { } local })
        {
            throw new SlingshotException($"Virtual model '{options.Name}' draws from '{options.Model}', which is not a configured local model.");
        }
        var extractor = Extractor(options);
        var vote = new ChatClientBuilder(local).UseMajorityVote(extractor, new RepeatedSamplingOptions { Count = options.Samples }).Build();
        IChatClient client = options.Strategy switch
        {
            "vote" => vote,
            // The cascade wraps the vote (a builder's first Use is the outermost), so it sees the vote's agreement.
            "cascade" => new ChatClientBuilder(vote).UseCascade(Fallback(options), CascadeChatClient.AgreementBelow(options.Threshold)).Build(),
            _ => throw new SlingshotException($"Virtual model '{options.Name}': unknown strategy '{options.Strategy}' (vote, cascade)."),
        };
        return new ServedModel(options.Name, client, null, null, "slingshot-strategy");
    }

    private static IAnswerExtractor Extractor(VirtualModelOptions options)
    {
        try
        {
            return ExtractorRegistry.Create(options.Extractor);
        }
        catch (ArgumentException ex)
        {
            throw new SlingshotException($"Virtual model '{options.Name}': {ex.Message}", ex);
        }
    }

    private IChatClient Fallback(VirtualModelOptions options) =>
        options.Fallback is { } name && _models.GetValueOrDefault(name) is { } fallback
            ? fallback.Client
            : throw new SlingshotException($"Cascade '{options.Name}' needs a Fallback naming a configured model or endpoint (got '{options.Fallback}').");

    private static ServedModel ConnectRemote(RemoteEndpointOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Name) || string.IsNullOrWhiteSpace(options.Model)
            || !Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new SlingshotException($"Endpoint '{options.Name}' needs a Name, a Model and an http(s) Url (got '{options.Url}').");
        }
        // Local servers usually accept any key; hosted ones need the variable set.
        var key = Environment.GetEnvironmentVariable(options.ApiKeyVariable) is { Length: > 0 } k ? k : "none";
        var client = new OpenAI.Chat.ChatClient(options.Model, new System.ClientModel.ApiKeyCredential(key), new OpenAI.OpenAIClientOptions { Endpoint = uri })
            .AsIChatClient();
        return new ServedModel(options.Name, client, null, null, "remote");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
        _models.Clear();
    }
}

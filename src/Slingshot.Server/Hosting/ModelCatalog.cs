using System.Globalization;
using Microsoft.Extensions.AI;
using Slingshot.Remote;
using Slingshot.Server.Configuration;
using Slingshot.Strategies;
using Slingshot.Strategies.Cascades;
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

    /// <summary>
    /// Runs one short generation per local model, non-streaming with two samples and streaming with one, so
    /// the first client does not pay for .NET compiling the decode path and llama.cpp touching its buffers
    /// (hundreds of milliseconds on a fresh process). Call before listening.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        foreach (var engine in _models.Values.OfType<LocalModel>().Select(m => m.Engine))
        {
            var request = new GenerationRequest
            {
                Prompt = "Hello",
                DefaultMaxTokens = 8, // cut to what fits, however small each sequence's share of the context
                SampleCount = Math.Min(2, engine.MaxSequences),
                IgnoreEndOfGeneration = true,
                Sampling = new SamplerSettings { Seed = 1 },
            };
            await engine.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
            await foreach (var _ in engine.StreamAsync(request with { SampleCount = 1 }, cancellationToken).ConfigureAwait(false))
            {
            }
        }
    }

    /// <summary>The model named <paramref name="name"/>, or null.</summary>
    public ServedModel? Find(string name) => _models.GetValueOrDefault(name);

    /// <summary>Adds an entry; the catalog then owns it. Internal: served models come from options.</summary>
    internal void Add(ServedModel model)
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
        var loading = new ModelOptions { UseMemoryMap = options.MemoryMap };
        var model = LlamaModel.Load(options.Path, loading);
        var adapters = new List<(LoraAdapter, float)>();
        LlamaModel? draft = null;
        try
        {
            draft = options.Draft is { Length: > 0 } draftPath ? LlamaModel.Load(draftPath, loading) : null;
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
                PrefixCache = options.PrefixCache,
                PrefixCacheTokens = options.PrefixCacheTokens,
                LoraAdapters = adapters,
                Speculative = draft is null && !options.PromptLookup ? null
                    : new SpeculativeOptions { DraftModel = draft, OwnsDraftModel = true, PromptLookup = options.PromptLookup, DraftMax = options.DraftMax },
            }, ownsModel: true);
            var client = new LlamaChatClient(engine, new LlamaChatClientOptions { ModelId = options.Name, ChatTemplate = options.ChatTemplate });
            return new LocalModel(options.Name, client, engine);
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
        if (options.Strategy == "ensemble")
        {
            return EnsembleVirtualModel.Build(options, _models, Extractor(options));
        }
        // Local models fork one decoded prompt; remote endpoints send n or parallel requests. A strategy cannot be a source.
        var source = _models.GetValueOrDefault(options.Model);
        if (source is not SourceModel)
        {
            throw new SlingshotException($"Virtual model '{options.Name}' draws from '{options.Model}', which is not a configured local model or endpoint.");
        }
        var extractor = Extractor(options);
        var vote = new ChatClientBuilder(source.Client).UseMajorityVote(extractor, new RepeatedSamplingOptions { Count = options.Samples }).Build();
        IDisposable? owned = null;
        IChatClient client = options.Strategy switch
        {
            "router" => RouterVirtualModel.Create(options, source.Client, Find, out owned),
            "vote" => vote,
            // The cascade wraps the vote (a builder's first Use is the outermost), so it sees the vote's agreement.
            "cascade" when options.CascadeConfig is null => BuildCascade(options, () => new ChatClientBuilder(vote).UseCascade(Fallback(options), new AgreementEscalation(options.Threshold)).Build()),
            "cascade" => ConfiguredCascade(options, source.Client, extractor),
            _ => throw new SlingshotException($"Virtual model '{options.Name}': unknown strategy '{options.Strategy}' (vote, cascade, ensemble, router)."),
        };
        return new StrategyModel(options.Name, client, owned);
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

    /// <summary>A cascade whose tiers, samples and thresholds come from a calibrated config file.</summary>
    private IChatClient ConfiguredCascade(VirtualModelOptions options, IChatClient local, IAnswerExtractor extractor)
    {
        CascadeConfig config;
        try
        {
            config = CascadeConfigFile.Load(options.CascadeConfig!);
        }
        catch (ArgumentException ex)
        {
            throw new SlingshotException($"Virtual model '{options.Name}': {ex.Message}", ex);
        }
        var last = config.Tiers.Count - 1;
        (IChatClient Client, CascadeTierOptions Options) Tier(int i)
        {
            var settings = config.Tiers[i];
            var (name, served) = i == 0 ? (options.Model, local)
                : settings.Model is { } model ? (model, _models.GetValueOrDefault(model)?.Client
                    ?? throw new SlingshotException($"Cascade '{options.Name}': tier {i + 1} names '{model}', which is not a configured model or endpoint."))
                : i == 1 ? (options.Fallback ?? "", Fallback(options))
                : throw new SlingshotException($"Cascade '{options.Name}': tier {i + 1} of '{options.CascadeConfig}' needs a Model naming a served model.");
            IEscalationTest? test;
            try
            {
                test = config.CreateTest(i);
            }
            catch (ArgumentException ex)
            {
                throw new SlingshotException($"Cascade '{options.Name}': {ex.Message}", ex);
            }
            // A tier that votes or is tested by its samples' agreement or log-probabilities draws through the vote.
            var client = settings.Samples > 1 || (test is not null && i < last)
                ? new ChatClientBuilder(served).UseMajorityVote(extractor, new RepeatedSamplingOptions
                {
                    Count = settings.Samples,
                    TopLogprobs = config.Escalation == MeanLogprobEscalation.TestName ? 0 : null,
                }).Build()
                : served;
            return (client, new CascadeTierOptions { Name = name, EscalateWhen = test, Price = settings.Price });
        }
        var first = Tier(0);
        var next = Enumerable.Range(1, last).Select(i => Tier(i)).Select(t => new CascadeTier(t.Client, t.Options)).ToList();
        return BuildCascade(options, () => new ChatClientBuilder(first.Client).UseCascade(first.Options, next).Build());
    }

    /// <summary>A cascade that refuses its tiers (a test that can never score its tier) stops start-up with one line naming it.</summary>
    private static IChatClient BuildCascade(VirtualModelOptions options, Func<IChatClient> build)
    {
        try
        {
            return build();
        }
        catch (ArgumentException ex)
        {
            throw new SlingshotException($"Cascade '{options.Name}': {ex.Message}", ex);
        }
    }

    private IChatClient Fallback(VirtualModelOptions options) =>
        options.Fallback is { } name && _models.GetValueOrDefault(name) is { } fallback
            ? fallback.Client
            : throw new SlingshotException($"Cascade '{options.Name}' needs a Fallback naming a configured model or endpoint (got '{options.Fallback}').");

    private static ServedModel ConnectRemote(RemoteEndpointOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            throw new SlingshotException($"Every endpoint needs a Name (the one at {options.Url} has none).");
        }
        if (!double.IsFinite(options.TimeoutSeconds) || options.TimeoutSeconds <= 0 || options.TimeoutSeconds > 86_400)
        {
            throw new SlingshotException($"Endpoint '{options.Name}': TimeoutSeconds must be above 0 and at most a day (got {options.TimeoutSeconds}).");
        }
        try
        {
            var client = RemoteModel.Connect(new RemoteModelOptions
            {
                Url = options.Url,
                Model = options.Model,
                ApiKeyVariable = options.ApiKeyVariable,
                Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
                MaxRetries = options.MaxRetries,
                MaxConcurrency = options.MaxConcurrency,
                UseNativeN = options.UseNativeN,
                Price = new TokenPrice(options.InputPricePerMillion, options.OutputPricePerMillion),
            });
            return new SourceModel(options.Name, client, client, owned: client);
        }
        catch (ArgumentException ex)
        {
            throw new SlingshotException($"Endpoint '{options.Name}': {ex.Message}", ex);
        }
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

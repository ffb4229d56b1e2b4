using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Slingshot.Cli;

/// <summary>The options every command that loads a model shares: which model, and the engine's shape.</summary>
internal sealed class ModelOptionSet
{
    public Option<string?> Model { get; } = new("--model", "-m") { Description = "GGUF model file (default: $SLINGSHOT_MODEL, else the bundled stories260K)" };
    public Option<int> ContextSize { get; } = new("--ctx") { Description = "Context size in tokens, shared by all sequences (0 = model's, at most 4096)", DefaultValueFactory = _ => 0 };
    public Option<int?> Threads { get; } = new("--threads", "-t") { Description = "Decode threads (default: the machine's cores; never more than free cores)" };
    public Option<int> Sequences { get; } = new("--sequences") { Description = "Sequences decoded together", DefaultValueFactory = _ => 16 };
    public Option<int> BatchSize { get; } = new("--batch") { Description = "Most prompt tokens per decode call", DefaultValueFactory = _ => 512 };
    public Option<bool> SplitKv { get; } = new("--split-kv") { Description = "Give each sequence its own KV cells instead of one shared cache (faster for many samples of a short prompt)" };
    public Option<bool> NoPrefixCache { get; } = new("--no-prefix-cache") { Description = "Prefill every prompt whole instead of reusing the KV cells of earlier prompts that began the same way" };
    public Option<int?> PrefixCacheTokens { get; } = new("--prefix-cache-tokens") { Description = "Most tokens the prefix cache keeps (default: as many prompts as sequences)" };
    public Option<string?> CpuVariant { get; } = new("--cpu-variant") { Description = "Pin a llama.cpp CPU backend variant (x64, haswell, zen4, ...)" };
    public Option<string[]> Lora { get; } = new("--lora") { Description = "LoRA adapter file, optionally with a scale: path[:scale] (repeatable)", AllowMultipleArgumentsPerToken = false };
    public Option<string?> Draft { get; } = new("--draft") { Description = "Draft model (GGUF sharing the model's vocabulary) for speculative decoding of single-sample requests" };
    public Option<int> DraftMax { get; } = new("--draft-max") { Description = "Most tokens drafted per verification pass (speculative decoding)", DefaultValueFactory = _ => 6 };
    public Option<bool> Lookup { get; } = new("--lookup") { Description = "Speculative decoding by prompt lookup: draft by copying n-grams from the prompt and output (no draft model needed)" };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Show llama.cpp's log on stderr" };

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(ContextSize);
        command.Add(Threads);
        command.Add(Sequences);
        command.Add(BatchSize);
        command.Add(SplitKv);
        command.Add(NoPrefixCache);
        command.Add(PrefixCacheTokens);
        command.Add(CpuVariant);
        command.Add(Lora);
        command.Add(Draft);
        command.Add(DraftMax);
        command.Add(Lookup);
        command.Add(Verbose);
    }

    /// <summary>Configures the runtime, loads the model and builds the engine (which owns the model and adapters).</summary>
    public LoadedEngine Load(ParseResult parse, int? minimumSequences = null)
    {
        ConfigureRuntime(parse, parse.GetValue(CpuVariant), parse.GetValue(Verbose));
        var path = DefaultModel.Resolve(parse.GetValue(Model));
        var model = LlamaModel.Load(path);
        if (model.Info.ChatTemplateError is { } problem)
        {
            Console.Error.WriteLine($"warning: the chat template of '{Path.GetFileName(path)}' cannot render a conversation ({problem}); chat prompts need --chat-template.");
        }
        var adapters = new List<LoraAdapter>();
        LlamaModel? draft = null;
        try
        {
            var loras = new List<(LoraAdapter, float)>();
            foreach (var spec in parse.GetValue(Lora) ?? [])
            {
                var (file, scale) = ParseLora(spec);
                var adapter = model.LoadLoraAdapter(file);
                adapters.Add(adapter);
                loras.Add((adapter, scale));
            }
            var sequences = parse.GetValue(Sequences);
            if (sequences < 1)
            {
                throw new ArgumentException($"--sequences must be at least 1 (got {sequences}).");
            }
            sequences = Math.Max(sequences, minimumSequences ?? 1);
            var speculative = SpeculativeOptions(parse, ref draft);
            var engine = new LlamaEngine(model, new EngineOptions
            {
                ContextSize = parse.GetValue(ContextSize),
                Threads = parse.GetValue(Threads),
                MaxSequences = sequences,
                BatchSize = parse.GetValue(BatchSize),
                SharedKvCache = !parse.GetValue(SplitKv),
                PrefixCache = parse.GetValue(NoPrefixCache) ? false : null,
                PrefixCacheTokens = parse.GetValue(PrefixCacheTokens),
                LoraAdapters = loras,
                Speculative = speculative,
            });
            return new LoadedEngine(model, engine, adapters) { Adapters = loras.Select(l => (l.Item1.Path, l.Item2)).ToList(), DraftModel = draft };
        }
        catch
        {
            adapters.ForEach(a => a.Dispose());
            draft?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>Speculative decoding from --draft, --draft-max and --lookup, or null when neither is given.</summary>
    private SpeculativeOptions? SpeculativeOptions(ParseResult parse, ref LlamaModel? draft)
    {
        var draftPath = parse.GetValue(Draft);
        var lookup = parse.GetValue(Lookup);
        if (draftPath is null && !lookup)
        {
            return null;
        }
        if (draftPath is not null)
        {
            if (!File.Exists(draftPath))
            {
                throw new ArgumentException($"--draft: '{draftPath}' does not exist.");
            }
            draft = LlamaModel.Load(draftPath);
        }
        return new SpeculativeOptions { DraftModel = draft, PromptLookup = lookup, DraftMax = parse.GetValue(DraftMax) };
    }

    public static void ConfigureRuntime(ParseResult parse, string? cpuVariant, bool verbose)
    {
        LlamaRuntime.Initialize(new LlamaRuntimeOptions
        {
            CpuVariant = cpuVariant,
            LoggerFactory = verbose
                ? LoggerFactory.Create(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Debug))
                : null,
        });
    }

    private static (string File, float Scale) ParseLora(string spec)
    {
        var colon = spec.LastIndexOf(':');
        if (colon > 0 && float.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var scale))
        {
            return (spec[..colon], scale);
        }
        return (spec, 1f);
    }
}

/// <summary>An engine with everything it was built from, disposed together.</summary>
internal sealed class LoadedEngine(LlamaModel model, LlamaEngine engine, IReadOnlyList<LoraAdapter> adapters) : IDisposable
{
    public LlamaModel Model { get; } = model;
    public LlamaEngine Engine { get; } = engine;

    /// <summary>The LoRA adapters applied, with their scales.</summary>
    public IReadOnlyList<(string Path, float Scale)> Adapters { get; init; } = [];

    /// <summary>The draft model of speculative decoding, disposed after the engine.</summary>
    public LlamaModel? DraftModel { get; init; }

    public void Dispose()
    {
        Engine.Dispose();
        foreach (var adapter in adapters)
        {
            adapter.Dispose();
        }
        DraftModel?.Dispose();
        Model.Dispose();
    }
}

using System.CommandLine;
using System.Globalization;
using Slingshot.Generation.ProxyTuning;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot proxy</c>: proxy-tuned generation. A large base model (--model) steered by the difference
/// between a small tuned model and its small base, combined on log-probabilities at every token.
/// </summary>
internal static class ProxyCommand
{
    public static Command Create()
    {
        var sampling = new SamplingOptionSet();
        var prompt = new Argument<string>("prompt") { Description = "The prompt text, or - to read it from standard input" };
        var large = new Option<string?>("--model", "-m") { Description = "The large base model (GGUF; default: $SLINGSHOT_MODEL, else the bundled stories260K)" };
        var smallBase = new Option<string>("--proxy-base") { Description = "The small base model (GGUF, same vocabulary)", Required = true };
        var smallTuned = new Option<string?>("--proxy-tuned") { Description = "The small tuned model (GGUF, same vocabulary); default the small base, tuned by --proxy-tuned-lora" };
        var tunedLora = new Option<string[]>("--proxy-tuned-lora") { Description = "LoRA adapter applied to the small tuned model only: path[:scale] (repeatable)" };
        var alpha = new Option<float>("--proxy-alpha", "--alpha") { Description = "Weight of (tuned - base): 0 = the large base alone, 1 = proxy-tuning", DefaultValueFactory = _ => 1f };
        var context = new Option<int>("--ctx") { Description = "Context size of each model (0 = the large model's, at most 4096)", DefaultValueFactory = _ => 0 };
        var threads = new Option<int?>("--threads", "-t") { Description = "Decode threads of each model (default: the machine's cores)" };
        var chat = new Option<bool>("--chat") { Description = "Send the prompt as a user message through the large model's chat template" };
        var template = new Option<string?>("--chat-template") { Description = "Chat template override: a built-in name (chatml, llama3, ...) or template text" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };

        var command = new Command("proxy", "Generate with proxy-tuning: large base + alpha x (small tuned - small base), token by token")
        {
            prompt, large, smallBase, smallTuned, tunedLora, alpha, context, threads, chat, template, json,
        };
        sampling.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetRequiredValue(prompt);
            if (text == "-")
            {
                text = await Console.In.ReadToEndAsync(ct);
            }
            var loraSpecs = parse.GetValue(tunedLora) ?? [];
            if (parse.GetValue(smallTuned) is null && loraSpecs.Length == 0)
            {
                throw new ArgumentException("Give the small tuned model (--proxy-tuned) or a LoRA that tunes the small base (--proxy-tuned-lora).");
            }
            ModelOptionSet.ConfigureRuntime(parse, cpuVariant: null, verbose: false);
            var paths = new[] { DefaultModel.Resolve(parse.GetValue(large)), parse.GetRequiredValue(smallBase) }
                .Concat(parse.GetValue(smallTuned) is { } tunedPath ? [tunedPath] : []).ToArray();
            foreach (var path in paths.Where(p => !File.Exists(p)))
            {
                throw new SlingshotException($"Model file '{path}' does not exist.");
            }
            var options = new ProxyTuningOptions
            {
                Alpha = parse.GetValue(alpha),
                ContextSize = parse.GetValue(context),
                Threads = parse.GetValue(threads),
            };
            options.Validate();
            using var models = new LoadedProxyModels(paths);
            foreach (var spec in loraSpecs)
            {
                var colon = spec.LastIndexOf(':');
                var (file, scale) = colon > 0 && float.TryParse(spec[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                    ? (spec[..colon], s) : (spec, 1f);
                models.Adapters.Add((models.Tuned.LoadLoraAdapter(file), scale));
            }
            options = options with { TunedLoraAdapters = models.Adapters };
            using var generator = new ProxyTunedGenerator(models.Large, models.Base, models.Tuned, options);
            var templateText = parse.GetValue(template);
            if (parse.GetValue(chat) || templateText is not null)
            {
                text = ChatTemplate.Apply(generator.LargeBase, [new ChatTurn("user", text)], addAssistantPrefix: true, templateText);
            }
            var result = await generator.GenerateAsync(sampling.Request(parse, text, samples: 1, topLogprobs: null), ct);
            if (parse.GetValue(json))
            {
                Json.Write(RunReport.From(generator.LargeBase, result.Result));
                return 0;
            }
            Console.Out.WriteLine(result.Sample.Text);
            var usage = result.Result.Usage;
            Console.Error.WriteLine($"{usage.PromptTokens} prompt + {usage.CompletionTokens} completion tokens, three models, alpha {options.Alpha:0.###}, " +
                $"decode {result.Result.Timings.DecodeTokensPerSecond:F0} tok/s, finish {result.Sample.FinishReason.ToString().ToLowerInvariant()}");
            return 0;
        });
        return command;
    }
}

/// <summary>The models (and adapters) a proxy command loaded, disposed together; without a tuned file the small base is tuned by LoRA.</summary>
internal sealed class LoadedProxyModels : IDisposable
{
    private readonly List<LlamaModel> _loaded = [];

    public LoadedProxyModels(string[] paths)
    {
        try
        {
            foreach (var path in paths)
            {
                _loaded.Add(LlamaModel.Load(path));
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public LlamaModel Large => _loaded[0];

    public LlamaModel Base => _loaded[1];

    public LlamaModel Tuned => _loaded.Count > 2 ? _loaded[2] : _loaded[1];

    public List<(LoraAdapter Adapter, float Scale)> Adapters { get; } = [];

    public void Dispose()
    {
        Adapters.ForEach(a => a.Adapter.Dispose());
        _loaded.ForEach(m => m.Dispose());
    }
}

using System.Diagnostics;
using Slingshot.Gguf;

namespace Slingshot.Cli.Benchmarks;

/// <summary>What <c>bench speculative</c> measures: greedy generation of fixed-length outputs for a few prompts.</summary>
internal sealed record SpeculativeBenchmarkSettings(int GeneratedTokens, IReadOnlyList<int> DraftLengths, bool Lookup, int Reps, int Threads, IReadOnlyList<string> Prompts);

/// <summary>
/// One configuration: target-only, a draft model at a fixed or adaptive draft length, or prompt lookup. Speed-up is
/// the median over rounds of this configuration's speed divided by target-only's in the same round; CPU speed-up the
/// same with tokens per second of process CPU time, which time-slicing by other processes on a shared machine
/// does not stretch.
/// </summary>
internal sealed record SpeculativeMeasurement(
    string Name, int? DraftLength, double TokensPerSecond, double Speedup, double CpuSpeedup, double? AcceptanceRate, double? TokensPerTargetPass,
    int Drafted, int Accepted, int TargetPasses, bool IdenticalToTargetOnly, IReadOnlyList<double> Runs);

/// <summary>The report: the pair, the machine's thread count, and one measurement per configuration.</summary>
internal sealed record SpeculativeBenchmarkReport(
    string Target, long TargetParameters, string? Draft, long? DraftParameters, int Threads, int GeneratedTokens, int Prompts,
    IReadOnlyList<SpeculativeMeasurement> Results);

/// <summary>
/// Target-only greedy decoding against speculative decoding in one run, on the same prompts and engine shape:
/// decode speed (tokens after the first, per second of decoding, median of the repetitions), acceptance, tokens
/// per target pass, and whether the output is the target's own token for token.
/// </summary>
internal static class SpeculativeBenchmark
{
    /// <summary>Default prompts: plain continuation, and a passage to repeat (where prompt lookup can copy).</summary>
    public static IReadOnlyList<string> DefaultPrompts { get; } =
    [
        "Once upon a time",
        "Repeat the list exactly. List: apples, pears, plums, cherries, figs, dates, limes, grapes, melons, kiwis. Repeated list: apples, pears,",
    ];

    public static async Task<SpeculativeBenchmarkReport> RunAsync(string targetPath, string? draftPath, SpeculativeBenchmarkSettings settings,
        Action<string, double> progress, CancellationToken ct)
    {
        using var target = LlamaModel.Load(targetPath);
        using var draft = draftPath is null ? null : LlamaModel.Load(draftPath);
        var configurations = new List<(string Name, int? DraftLength, SpeculativeOptions? Options)> { ("target only", null, null) };
        if (draft is not null)
        {
            VocabularyCompatibility.EnsureCompatible(target, draft);
            configurations.AddRange(settings.DraftLengths.Select(k =>
                ($"draft k={k}", (int?)k, (SpeculativeOptions?)new SpeculativeOptions { DraftModel = draft, DraftMax = k, AdaptiveDraftLength = false })));
            var longest = settings.DraftLengths.Max();
            configurations.Add(($"draft adaptive k<={longest}", longest, new SpeculativeOptions { DraftModel = draft, DraftMax = longest }));
        }
        if (settings.Lookup)
        {
            var longest = settings.DraftLengths.Max();
            configurations.Add(($"prompt lookup k<={longest}", longest, new SpeculativeOptions { PromptLookup = true, DraftMax = longest }));
        }

        // Every configuration gets its engine up front and the repetitions go round-robin over them, so the drift
        // of a shared machine (often +-20% within a minute) falls on all configurations alike.
        var longestPrompt = settings.Prompts.Max(p => target.Vocabulary.Tokenize(p).Length);
        var runs = configurations.Select(_ => new List<double>()).ToArray();
        var cpuRuns = configurations.Select(_ => new List<double>()).ToArray();
        var firstRuns = new (List<IReadOnlyList<int>> Outputs, int Tokens, int Drafted, int Accepted, int Passes)[configurations.Count];
        var engines = new List<LlamaEngine>();
        try
        {
            foreach (var (_, _, options) in configurations)
            {
                engines.Add(new LlamaEngine(target, new EngineOptions
                {
                    ContextSize = longestPrompt + settings.GeneratedTokens + 16,
                    MaxSequences = 1,
                    Threads = settings.Threads,
                    Speculative = options,
                }));
                await engines[^1].GenerateAsync(Request(settings.Prompts[0], 8), ct); // warm-up: first-call allocations, page faults
            }
            for (var rep = 0; rep < settings.Reps; rep++)
            {
                // Odd rounds run the configurations in reverse, so a steady drift does not favour the ones measured first.
                var order = Enumerable.Range(0, configurations.Count).ToArray();
                if (rep % 2 == 1)
                {
                    Array.Reverse(order);
                }
                foreach (var c in order)
                {
                    progress($"{configurations[c].Name}, round {rep + 1}", (double)(rep * configurations.Count + Array.IndexOf(order, c)) / (settings.Reps * configurations.Count));
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var (seconds, decoded, first) = await RoundAsync(engines[c], settings, ct);
                    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
                    runs[c].Add(seconds > 0 ? decoded / seconds : 0);
                    cpuRuns[c].Add(cpuSeconds > 0 ? decoded / cpuSeconds : 0);
                    if (rep == 0)
                    {
                        firstRuns[c] = first;
                    }
                }
            }
        }
        finally
        {
            engines.ForEach(e => e.Dispose());
        }
        progress("done", 1);

        var reference = firstRuns[0].Outputs;
        var results = configurations.Select((config, c) =>
        {
            var (outputs, tokens, drafted, accepted, passes) = firstRuns[c];
            var speculative = config.Options is not null;
            var median = Median(runs[c]);
            // The speed-up is the median of per-round ratios to target-only: each ratio compares runs seconds apart.
            var speedup = Median(runs[c].Zip(runs[0], (run, baseline) => baseline > 0 ? run / baseline : 0).ToList());
            var cpuSpeedup = Median(cpuRuns[c].Zip(cpuRuns[0], (run, baseline) => baseline > 0 ? run / baseline : 0).ToList());
            return new SpeculativeMeasurement(config.Name, config.DraftLength, median, speedup, cpuSpeedup,
                speculative ? (drafted == 0 ? 0 : (double)accepted / drafted) : null,
                speculative && passes > 0 ? (double)tokens / passes : null,
                drafted, accepted, passes, outputs.Zip(reference).All(pair => pair.First.SequenceEqual(pair.Second)), runs[c]);
        }).ToList();
        return new SpeculativeBenchmarkReport(target.Info.Description, target.Info.ParameterCount, draft?.Info.Description, draft?.Info.ParameterCount,
            settings.Threads, settings.GeneratedTokens, settings.Prompts.Count, results);
    }

    private static GenerationRequest Request(string prompt, int tokens) =>
        new() { Prompt = prompt, MaxTokens = tokens, Sampling = SamplerSettings.Greedy, IgnoreEndOfGeneration = true };

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Every prompt once: decode seconds and tokens after the first, and the outputs and speculation counts.</summary>
    private static async Task<(double Seconds, int Decoded, (List<IReadOnlyList<int>>, int, int, int, int) First)> RoundAsync(
        LlamaEngine engine, SpeculativeBenchmarkSettings settings, CancellationToken ct)
    {
        double seconds = 0;
        int decoded = 0, drafted = 0, accepted = 0, passes = 0;
        var outputs = new List<IReadOnlyList<int>>();
        foreach (var prompt in settings.Prompts)
        {
            var result = await engine.GenerateAsync(Request(prompt, settings.GeneratedTokens), ct);
            // The local engine measures every part and reports every token id.
            seconds += (result.Timings.Total - result.Timings.TimeToFirstToken!.Value).TotalSeconds;
            var tokens = result.Samples[0].Tokens!;
            decoded += tokens.Count - 1;
            outputs.Add(tokens);
            if (result.Speculation is { } s)
            {
                drafted += s.Drafted;
                accepted += s.Accepted;
                passes += s.TargetPasses;
            }
        }
        return (seconds, decoded, (outputs, decoded, drafted, accepted, passes));
    }

    /// <summary>
    /// A generated target and its layer-truncated draft: the same seed with fewer layers gives the same token
    /// embeddings, output head and first layers (each tensor has its own random stream). The weight scale sets how
    /// much the later layers change the prediction, hence the draft's acceptance.
    /// </summary>
    public static (string Target, string Draft) GeneratedPair(string shape, int draftLayers, float weightStdDev, GgmlType type)
    {
        var parsed = LlamaShape.Parse(shape);
        if (draftLayers < 1 || draftLayers >= parsed.LayerCount)
        {
            throw new ArgumentException($"--draft-layers must be between 1 and {parsed.LayerCount - 1} for a {parsed.LayerCount}-layer target (got {draftLayers}).");
        }
        return (Generated(parsed, weightStdDev, type), Generated(parsed with { LayerCount = draftLayers }, weightStdDev, type));
    }

    private static string Generated(LlamaShape shape, float weightStdDev, GgmlType type)
    {
        var folder = Path.Combine(Path.GetTempPath(), "slingshot-models");
        Directory.CreateDirectory(folder);
        var key = $"{shape.VocabSize}-{shape.EmbeddingLength}-{shape.LayerCount}-{shape.HeadCount}-{shape.KvHeadCount}-{shape.FeedForwardLength}-std{weightStdDev.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";
        var path = Path.Combine(folder, $"spec-{key}-{type}.gguf");
        if (!File.Exists(path))
        {
            RandomModelWriter.Write(path, shape, new RandomModelOptions { TensorType = type, WeightStdDev = weightStdDev });
        }
        return path;
    }
}

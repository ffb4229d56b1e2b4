using Slingshot.Gguf;

namespace Slingshot.Cli.Benchmarks;

/// <summary>What to measure.</summary>
internal sealed record EngineBenchmarkSettings(int PromptTokens, int GeneratedTokens, IReadOnlyList<int> SampleCounts, int Repetitions, int? Threads, bool SplitKv = false);

/// <summary>One measured quantity: the median of its runs, and the runs.</summary>
internal sealed record Measurement(string Name, int Samples, double TokensPerSecond, IReadOnlyList<double> Runs);

/// <summary>A benchmark's results, printed as JSON and as a table.</summary>
internal sealed record EngineBenchmarkReport(
    string Model, string Description, long Parameters, string Quantization, int Threads, string? CpuVariant, bool SharedKvCache,
    int PromptTokens, int GeneratedTokens, int Repetitions, IReadOnlyList<Measurement> Results)
{
    /// <summary>Aggregate decode throughput of the largest sample count over single-sequence decode.</summary>
    public double? BatchSpeedup
    {
        get
        {
            var single = Results.FirstOrDefault(r => r.Name == "decode" && r.Samples == 1);
            var widest = Results.Where(r => r.Name == "decode").MaxBy(r => r.Samples);
            return single is null || widest is null || widest.Samples == 1 ? null : widest.TokensPerSecond / single.TokensPerSecond;
        }
    }
}

/// <summary>
/// Engine throughput the way llama-bench measures it: prefill of a prompt of random tokens in one batch, and
/// decode of a fixed number of tokens (end-of-generation ignored), for 1 and for n forked samples of one
/// prompt. Each figure is the median of several runs after a warm-up of the same configuration.
/// </summary>
internal static class EngineBenchmark
{
    public static async Task<EngineBenchmarkReport> RunAsync(string modelPath, EngineBenchmarkSettings settings, Action<string, double>? progress, CancellationToken ct)
    {
        if (settings.PromptTokens < 1 || settings.GeneratedTokens < 2 || settings.Repetitions < 1 || settings.SampleCounts.Count == 0 || settings.SampleCounts.Any(n => n < 1))
        {
            throw new ArgumentException("Benchmark settings must be positive (prompt tokens >= 1, generated tokens >= 2, repetitions >= 1, sample counts >= 1).");
        }
        var widest = settings.SampleCounts.Max();
        const int shortPrompt = 16;
        // A shared cache holds the prompt once and every sample's tokens; a split one gives each sequence
        // ContextSize / sequences cells, each holding its own copy of the prompt.
        var contextSize = settings.SplitKv
            ? widest * (Math.Max(settings.PromptTokens, shortPrompt + settings.GeneratedTokens) + 16)
            : Math.Max(settings.PromptTokens, shortPrompt + widest * settings.GeneratedTokens) + 16;
        using var engine = LlamaEngine.Load(modelPath, new EngineOptions
        {
            ContextSize = contextSize,
            MaxSequences = widest,
            BatchSize = Math.Max(settings.PromptTokens, 32),
            Threads = settings.Threads,
            SharedKvCache = !settings.SplitKv,
            // Measured like llama-bench, which has no prompt cache: random prompts share nothing, and cached cells
            // would only widen the attention view of the decode tests.
            PrefixCache = false,
        });
        var random = new Random(1234);
        var tokens = UsableTokens(engine.Model.Vocabulary);
        int[] Prompt(int length) => [.. Enumerable.Range(0, length).Select(_ => tokens[random.Next(tokens.Length)])];

        var totalRuns = (1 + settings.SampleCounts.Count) * (settings.Repetitions + 1);
        var done = 0;
        void Step(string what) => progress?.Invoke(what, (double)++done / totalRuns);

        // Warm up every configuration once: the first decode of a shape allocates compute buffers, faults in
        // the weights and runs while .NET still compiles the hot path in the background.
        await engine.GenerateAsync(Request(Prompt(settings.PromptTokens), 1, 1), ct);
        Step("warm-up prefill");
        foreach (var n in settings.SampleCounts)
        {
            await engine.GenerateAsync(Request(Prompt(shortPrompt), Math.Min(16, settings.GeneratedTokens), n), ct);
            Step($"warm-up x{n}");
        }

        var results = new List<Measurement>();
        var prefill = new List<double>();
        for (var r = 0; r < settings.Repetitions; r++)
        {
            var result = await engine.GenerateAsync(Request(Prompt(settings.PromptTokens), 1, 1), ct);
            prefill.Add(result.Timings.PrefillTokensPerSecond ?? 0);
            Step($"prefill {settings.PromptTokens}");
        }
        results.Add(new Measurement("prefill", 1, Median(prefill), prefill));

        foreach (var n in settings.SampleCounts)
        {
            var runs = new List<double>();
            for (var r = 0; r < settings.Repetitions; r++)
            {
                var result = await engine.GenerateAsync(Request(Prompt(shortPrompt), settings.GeneratedTokens, n), ct);
                runs.Add(result.Timings.DecodeTokensPerSecond ?? 0);
                Step($"decode x{n}");
            }
            results.Add(new Measurement("decode", n, Median(runs), runs));
        }

        var info = engine.Model.Info;
        return new EngineBenchmarkReport(Path.GetFileName(modelPath), info.Description, info.ParameterCount, info.Quantization,
            engine.Threads, LlamaRuntime.Info.CpuVariant, engine.SharedKvCache, settings.PromptTokens, settings.GeneratedTokens, settings.Repetitions, results);
    }

    private static GenerationRequest Request(int[] prompt, int maxTokens, int samples) => new()
    {
        PromptTokens = prompt,
        MaxTokens = maxTokens,
        SampleCount = samples,
        Sampling = SamplerSettings.Greedy,
        IgnoreEndOfGeneration = true,
    };

    /// <summary>Ordinary tokens only, so a random prompt holds no control or end-of-generation token.</summary>
    private static int[] UsableTokens(Vocabulary vocabulary) =>
        [.. Enumerable.Range(0, vocabulary.Count).Where(t => !vocabulary.IsControl(t) && !vocabulary.IsEndOfGeneration(t))];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Writes (once) a generated model of a preset shape into a cache folder and returns its path.</summary>
    public static string GeneratedModel(string shape, GgmlType type)
    {
        var parsed = LlamaShape.Parse(shape);
        var folder = Path.Combine(Path.GetTempPath(), "slingshot-models");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{parsed.Name}-{type}-seed1.gguf");
        if (!File.Exists(path))
        {
            // The writer writes to a temporary name and renames, so an interrupted write leaves no model here.
            RandomModelWriter.Write(path, parsed, new RandomModelOptions { TensorType = type });
        }
        return path;
    }
}

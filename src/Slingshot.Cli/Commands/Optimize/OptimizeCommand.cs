using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Optimization;
using Slingshot.Evaluation.Store;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot optimize</c>: the cheapest configuration of the candidates that reaches an accuracy target on a task,
/// proven on a development split, checked once on a held-out split, and written as report.html, plan.json and a
/// serve.yaml that <c>slingshot serve -c</c> loads. Every sample goes through the store, so rerunning resumes.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create()
    {
        var tasks = new TaskOptionSet();
        var task = new Option<string?>("--task") { Description = "Benchmark name (see 'slingshot tasks') or a task file (.json)" };
        var candidates = new Option<string[]>("--candidate") { Description = "A model to use: name=model.gguf, or name=endpoint:URL:MODEL:price_in,price_out (USD per million tokens); repeatable" };
        var target = new Option<double>("--target") { Description = "Accuracy to reach, in (0, 1]", DefaultValueFactory = _ => 0.8 };
        var confidence = new Option<double>("--confidence") { Description = "How sure the choice must be (lower Wilson bound, one-sided)", DefaultValueFactory = _ => 0.95 };
        var budget = new Option<long?>("--budget-samples") { Description = "Most samples to draw in all (development and held-out)" };
        var cost = new Option<string>("--cost") { Description = "Cost measure: dollars, flops or seconds", DefaultValueFactory = _ => "dollars" };
        var output = new Option<string>("--out") { Description = "Folder for report.html, plan.json and serve.yaml", DefaultValueFactory = _ => "optimize-out" };
        var store = new Option<string>("--store") { Description = "SQLite store of runs (shared with eval)", DefaultValueFactory = _ => EvalCommand.DefaultStore };
        var maxK = new Option<int>("--max-k") { Description = "Most samples per problem (K)", DefaultValueFactory = _ => 16 };
        var temperatures = new Option<string>("--temperatures") { Description = "Sampling temperatures to try, comma-separated (0 = greedy, one sample)", DefaultValueFactory = _ => "0,0.6" };
        var dollarsPerHour = new Option<double>("--dollars-per-hour") { Description = "What an hour of this machine costs, for local models in dollars", DefaultValueFactory = _ => 0.10 };
        var limit = new Option<int?>("--limit") { Description = "Only the first N problems of the task" };
        var devFraction = new Option<double>("--dev-fraction") { Description = "Share of the problems in the development split", DefaultValueFactory = _ => 0.5 };
        var seed = new Option<long>("--seed", "-s") { Description = "Base seed of the samples and of the split", DefaultValueFactory = _ => 1 };
        var name = new Option<string>("--name") { Description = "Model name the served configuration answers to", DefaultValueFactory = _ => "optimized" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most tokens per sample (default: the task's)" };
        var threads = new Option<int?>("--threads", "-t") { Description = "Decode threads for local models (default: the machine's cores)" };
        var ctx = new Option<int>("--ctx") { Description = "Context size per local model (0 = the model's, at most 4096)", DefaultValueFactory = _ => 0 };
        var sequences = new Option<int>("--sequences") { Description = "Sequences a local model decodes together", DefaultValueFactory = _ => 16 };
        var concurrency = new Option<int>("--concurrency") { Description = "Calls in flight per candidate", DefaultValueFactory = _ => 2 };
        var demo = new Option<bool>("--demo") { Description = "Optimize the small and large task models on their task (or stand-ins when they are missing)" };
        var command = new Command("optimize", "Find the cheapest configuration of models and strategies that reaches an accuracy target, prove it, and write the server config that serves it")
        {
            task, candidates, target, confidence, budget, cost, output, store, maxK, temperatures, dollarsPerHour, limit, devFraction, seed, name,
            maxTokens, threads, ctx, sequences, concurrency, demo,
        };
        tasks.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var outDirectory = Path.GetFullPath(parse.GetRequiredValue(output));
            var isDemo = parse.GetValue(demo);
            string? standIn = null;
            var taskName = parse.GetValue(task);
            var candidateTexts = parse.GetValue(candidates) ?? [];
            var options = new OptimizeOptions
            {
                Target = parse.GetValue(target),
                Confidence = parse.GetValue(confidence),
                BudgetSamples = parse.GetValue(budget),
                CostBasis = ParseBasis(parse.GetRequiredValue(cost)),
                MaxSamples = parse.GetValue(maxK),
                LocalDollarsPerHour = parse.GetValue(dollarsPerHour),
                Temperatures = ParseTemperatures(parse.GetRequiredValue(temperatures)),
                DevelopmentFraction = parse.GetValue(devFraction),
                SplitSeed = parse.GetValue(seed),
            };
            var problemLimit = parse.GetValue(limit);
            if (isDemo)
            {
                var assets = OptimizeDemo.Resolve(outDirectory);
                standIn = assets.StandIn;
                taskName ??= assets.Task;
                if (candidateTexts.Length == 0)
                {
                    candidateTexts = [$"small={assets.Small}", $"large={assets.Large}"];
                }
                problemLimit ??= OptimizeDemo.Problems;
                if (parse.GetResult(maxK) is null or { Implicit: true })
                {
                    options = options with { MaxSamples = 8 };
                }
            }
            options.Validate();
            if (taskName is null)
            {
                throw new ArgumentException("--task is required (or --demo).");
            }
            if (candidateTexts.Length == 0)
            {
                throw new ArgumentException("Give at least one --candidate name=model.gguf or name=endpoint:URL:MODEL:price_in,price_out.");
            }
            var parsed = candidateTexts.Select(OptimizeCandidate.Parse).ToList();
            foreach (var local in parsed.Where(c => c.IsLocal && !File.Exists(c.Path)))
            {
                throw new ArgumentException($"--candidate {local.Name}: model file '{local.Path}' does not exist.");
            }
            if (problemLimit is < 2)
            {
                throw new ArgumentException($"--limit must be at least 2 (got {problemLimit}).");
            }
            if (parse.GetValue(concurrency) < 1 || parse.GetValue(sequences) < 1)
            {
                throw new ArgumentException("--concurrency and --sequences must be at least 1.");
            }

            var (benchmark, _) = await tasks.ResolveAsync(parse, taskName, ct);
            var problemIds = benchmark.LoadProblems().Take(problemLimit ?? int.MaxValue).Select(p => p.Id).ToList();
            if (parsed.Any(c => c.IsLocal))
            {
                ModelOptionSet.ConfigureRuntime(parse, null, verbose: false);
            }
            if (standIn is not null)
            {
                Console.Error.WriteLine($"demo: {standIn}.");
            }
            using var runStore = RunStore.Open(parse.GetRequiredValue(store));
            using var sampler = new EvalArmSampler(benchmark, parsed, runStore, new EvalArmSampler.EngineShape(
                parse.GetValue(threads), parse.GetValue(ctx), parse.GetValue(sequences), parse.GetValue(concurrency), parse.GetValue(seed), parse.GetValue(maxTokens)));
            var abilities = new TaskAbilities(benchmark.Extractor is not null, benchmark.Extractor is null);
            var runner = new OptimizeRunner(benchmark.Name, problemIds, abilities, parsed, runStore, sampler, options);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"optimize {benchmark.Name}: {parsed.Count} candidates x {options.Temperatures.Count} temperatures, {runner.Development.Count} development and {runner.HeldOut.Count} held-out problems, target {options.Target:P0} at {options.Confidence:P0} confidence, store {runStore.Path}"));
            var result = await OptimizeProgressBar.RunAsync(runner, sampler, ct);
            var written = OptimizeOutputs.Write(result, outDirectory, parse.GetRequiredValue(name), benchmark.Extractor?.Name ?? "code", sampler.WithoutChatTemplate, standIn);
            OptimizeOutputs.Print(result, written, outDirectory);
            return 0;
        });
        return command;
    }

    private static OptimizeCostBasis ParseBasis(string text) => text.Trim().ToLowerInvariant() switch
    {
        "dollars" or "usd" or "$" => OptimizeCostBasis.Dollars,
        "flops" => OptimizeCostBasis.Flops,
        "seconds" or "s" => OptimizeCostBasis.Seconds,
        _ => throw new ArgumentException($"--cost must be dollars, flops or seconds (got '{text}')."),
    };

    private static IReadOnlyList<double> ParseTemperatures(string text)
    {
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new ArgumentException($"--temperatures must be numbers separated by commas (got '{text}').");
            }
            values.Add(value);
        }
        return values;
    }
}

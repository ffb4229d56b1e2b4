using System.CommandLine;
using System.Globalization;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Remote;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot eval</c>: k samples per problem of a benchmark, each committed to the store before it is graded;
/// the same command resumes an interrupted run, and a larger -k extends it.
/// </summary>
internal static class EvalCommand
{
    public const string DefaultStore = "slingshot-runs.db";

    public static Command Create()
    {
        var models = new ModelOptionSet();
        var remote = new RemoteOptionSet();
        var tasks = new TaskOptionSet();
        var task = new Option<string>("--task") { Description = "Benchmark name (see 'slingshot tasks') or a task file (.json)", Required = true };
        var k = new Option<int>("--samples", "-k") { Description = "Samples per problem", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double>("--temperature", "--temp") { Description = "Sampling temperature (0 = greedy)", DefaultValueFactory = _ => 0.6 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus sampling threshold (1 = off)", DefaultValueFactory = _ => 1.0 };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most tokens per sample (default: the task's)" };
        var seed = new Option<long>("--seed", "-s") { Description = "Base seed (each problem's samples get seeds derived from it and the problem id)", DefaultValueFactory = _ => 1 };
        var limit = new Option<int?>("--limit") { Description = "Only the first N problems" };
        var shard = new Option<string?>("--shard") { Description = "Draw only shard i of N (i/N); join the shards' stores with 'slingshot store merge'" };
        var store = new Option<string>("--store") { Description = "SQLite store of runs", DefaultValueFactory = _ => DefaultStore };
        var run = new Option<string?>("--run") { Description = "Run id (default: derived from task, model and sampling settings, so re-running resumes)" };
        var priceIn = new Option<double>("--price-in") { Description = "Price in USD per million prompt tokens, for the cost ledger" };
        var priceOut = new Option<double>("--price-out") { Description = "Price in USD per million completion tokens" };
        var concurrency = new Option<int>("--concurrency") { Description = "Generator calls in flight (the engine batches them)", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "Print the run summary as JSON" };

        var command = new Command("eval", "Evaluate a model on a benchmark: k samples per problem, stored, graded, summarized")
        {
            task, k, temperature, topP, maxTokens, seed, limit, shard, store, run, priceIn, priceOut, concurrency, json,
        };
        models.AddTo(command);
        remote.AddTo(command);
        tasks.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (benchmark, sandbox) = await tasks.ResolveAsync(parse, parse.GetRequiredValue(task), ct);
            if (benchmark.Extractor is null)
            {
                // Code tasks: refuse before drawing anything when model-written code cannot be run safely.
                Console.Error.WriteLine($"code runs in: {sandbox().Description}");
            }
            var samples = parse.GetValue(k);
            var options = new EvalOptions
            {
                RunId = parse.GetValue(run),
                SamplesPerProblem = samples,
                Temperature = parse.GetValue(temperature),
                TopP = parse.GetValue(topP),
                MaxTokens = parse.GetValue(maxTokens),
                Seed = parse.GetValue(seed),
                Limit = parse.GetValue(limit),
                Shard = parse.GetValue(shard) is { } s ? ShardSpec.Parse(s) : ShardSpec.All,
            };
            options.Validate();
            if (parse.GetValue(concurrency) < 1)
            {
                throw new ArgumentException($"--concurrency must be at least 1 (got {parse.GetValue(concurrency)}).");
            }
            var price = new TokenPrice(parse.GetValue(priceIn), parse.GetValue(priceOut));
            if (!double.IsFinite(price.InputPerMillion) || !double.IsFinite(price.OutputPerMillion) || price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                throw new ArgumentException("--price-in and --price-out must be finite numbers >= 0.");
            }

            EvalModel model;
            LoadedEngine? loaded = null;
            RemoteChatClient? connected = null;
            if (remote.Options(parse, price) is { } endpoint)
            {
                connected = RemoteModel.Connect(endpoint);
                model = RemoteEvalModel(connected, parse.GetValue(concurrency));
                options = options with { Extra = new Dictionary<string, string> { ["endpoint"] = endpoint.Url } };
            }
            else
            {
                loaded = models.Load(parse);
                if (options.MaxTokens is { } max && max >= loaded.Engine.SequenceContextSize)
                {
                    loaded.Dispose();
                    throw new ArgumentException($"--max-tokens {max} does not fit the context of {loaded.Engine.SequenceContextSize} tokens per sequence (raise --ctx or lower --max-tokens).");
                }
                model = LocalModel(loaded, parse.GetValue(concurrency), price);
                options = options with
                {
                    Extra = new Dictionary<string, string>
                    {
                        ["model_path"] = loaded.Model.Path,
                        ["threads"] = loaded.Engine.Threads.ToString(CultureInfo.InvariantCulture),
                        ["sequences"] = loaded.Engine.MaxSequences.ToString(CultureInfo.InvariantCulture),
                        ["context"] = loaded.Engine.ContextSize.ToString(CultureInfo.InvariantCulture),
                        ["sampler"] = "temperature + top-p (top-k and min-p off)",
                        ["prefix_cache"] = loaded.Engine.PrefixCache ? "on" : "off",
                    },
                };
            }
            using var engine = loaded;
            using var remoteClient = connected;

            using var runStore = RunStore.Open(parse.GetRequiredValue(store));
            var runner = new EvalRunner(benchmark, model, runStore, options);
            var problems = runner.SelectProblems().Count;
            Console.Error.WriteLine($"run {runner.RunId}: {benchmark.Name} ({benchmark.Version}), {problems} problems x {samples} samples, store {runStore.Path}");
            var summary = connected is null ? await EvalProgressBar.RunAsync(runner, ct) : await RunRemoteAsync(runner, connected, ct);
            if (loaded is { Engine.PrefixCache: true, Engine.Statistics: var stats })
            {
                Console.Error.WriteLine($"prefix cache: {stats.PrefixCacheLookups} lookups, {stats.PrefixCacheHits} hits, {stats.PrefixCacheTokensReused} prompt tokens reused, {stats.PrefixCacheEvictions} evictions");
            }
            if (parse.GetValue(json))
            {
                Json.Write(summary);
            }
            else
            {
                SummaryTables.Write(AnsiConsole.Console, [summary]);
            }
            return 0;
        });
        return command;
    }

    internal static EvalModel LocalModel(LoadedEngine loaded, int concurrency, TokenPrice price)
    {
        var client = new LlamaChatClient(loaded.Engine, new LlamaChatClientOptions
        {
            FallbackChatTemplate = "chatml",
            // Plain temperature/top-p sampling as in the repeated-sampling literature: no top-k or min-p truncation.
            DefaultSampling = new SamplerSettings { TopK = 0, MinP = 0 },
            Price = price,
        });
        return new EvalModel
        {
            Source = client,
            Fingerprint = ModelFingerprint.ForLocal(loaded.Model.Path, loaded.Adapters.Select(a => (a.Path, a.Scale))),
            MaxConcurrentCalls = concurrency,
        };
    }

    /// <summary>
    /// Runs against an endpoint; what is left wrong after the retries (refused connection, 401, unknown model, timeouts)
    /// becomes one line naming the endpoint. Samples drawn before the failure are stored, so rerunning resumes.
    /// </summary>
    private static async Task<RunSummary> RunRemoteAsync(EvalRunner runner, RemoteChatClient endpoint, CancellationToken ct)
    {
        try
        {
            return await EvalProgressBar.RunAsync(runner, ct);
        }
        catch (Exception e) when (e is System.ClientModel.ClientResultException or TimeoutException or HttpRequestException)
        {
            var status = e is System.ClientModel.ClientResultException { Status: > 0 } r ? $"HTTP {r.Status}: " : "";
            throw new SlingshotException($"endpoint {endpoint.Options.Url} (model {endpoint.Options.Model}): {status}{e.Message}", e);
        }
    }

    /// <summary>
    /// A remote model for the harness: n samples per call (at most <see cref="EvalModel.DefaultSamplesPerCall"/>) go out as
    /// one request with n where the endpoint honours it, parallel requests otherwise; the client's concurrency limit bounds
    /// the requests on the wire whatever the calls. Its price is the endpoint options'.
    /// </summary>
    internal static EvalModel RemoteEvalModel(RemoteChatClient client, int concurrency) => new()
    {
        Source = client,
        Fingerprint = ModelFingerprint.ForEndpoint(client.Options.Endpoint, client.Options.Model),
        MaxConcurrentCalls = concurrency,
    };
}

using System.CommandLine;
using Slingshot.Evaluation.Datasets;
using Slingshot.Evaluation.Routing;
using Slingshot.Evaluation.Store;

namespace Slingshot.Cli.Commands;

/// <summary>Where <c>slingshot route</c> reads labelled prompts: the RouteLLM MMLU responses, or two runs of a run store.</summary>
internal sealed class RouteDataOptions
{
    public Option<string?> RouteLlm { get; } = new("--routellm")
    {
        Description = "Folder of RouteLLM response CSVs (default: routing/routellm/mmlu/responses under the datasets)",
    };

    public Option<string?> Datasets { get; } = new("--datasets")
    {
        Description = "Benchmark data folder, used as is with no download (default: $SLINGSHOT_DATASETS, else the user cache, filled on first use)",
    };

    public Option<string?> DatasetsMirror { get; } = new("--datasets-mirror")
    {
        Description = "Base URL of a mirror laid out like the data folder to download from (default: $SLINGSHOT_DATASETS_MIRROR)",
    };

    public Option<string?> Store { get; } = new("--store") { Description = "Run store holding a small-tier and a large-tier run of the same problems" };

    public Option<string?> SmallRun { get; } = new("--small-run") { Description = "Run id of the small tier (with --store)" };

    public Option<string?> LargeRun { get; } = new("--large-run") { Description = "Run id of the large tier (with --store)" };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the held-out split by prompt hash" };

    public void AddTo(Command command)
    {
        command.Options.Add(RouteLlm);
        command.Options.Add(Datasets);
        command.Options.Add(DatasetsMirror);
        command.Options.Add(Store);
        command.Options.Add(SmallRun);
        command.Options.Add(LargeRun);
        command.Options.Add(Seed);
    }

    /// <summary>The labelled prompts and a one-line description of where they came from.</summary>
    public async Task<(IReadOnlyList<RoutingExample> Examples, string Source)> LoadAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Store) is { } storePath)
        {
            var small = parse.GetValue(SmallRun) ?? throw new SlingshotException("--store needs --small-run and --large-run.");
            var large = parse.GetValue(LargeRun) ?? throw new SlingshotException("--store needs --small-run and --large-run.");
            using var store = StoreCommand.OpenExisting(storePath);
            return (RunStoreRoutingData.Load(store, small, large), $"run store {Path.GetFileName(storePath)}: small '{small}', large '{large}'");
        }
        var folder = parse.GetValue(RouteLlm);
        if (folder is null)
        {
            var routeLlm = DatasetManifest.BuiltIn.Get("routellm");
            var root = await DatasetLocation.EnsureAsync(parse.GetValue(Datasets), parse.GetValue(DatasetsMirror), routeLlm, cancellationToken);
            folder = Path.Combine(root, "routing", "routellm", "mmlu", "responses");
        }
        return (RouteLlmData.Load(folder), $"RouteLLM MMLU responses ({RouteLlmData.WeakColumn} vs {RouteLlmData.StrongColumn})");
    }
}

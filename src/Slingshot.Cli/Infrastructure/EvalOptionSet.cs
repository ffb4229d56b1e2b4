using System.CommandLine;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Datasets;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Cli;

/// <summary>Options shared by the commands that resolve benchmark tasks (eval, grade, tasks).</summary>
internal sealed class TaskOptionSet
{
    public Option<string?> Datasets { get; } = new("--datasets")
    {
        Description = "Benchmark data folder, used as is with no download (default: $SLINGSHOT_DATASETS, else the user cache, filled on first use)",
    };

    public Option<string?> DatasetsMirror { get; } = new("--datasets-mirror")
    {
        Description = "Base URL of a mirror laid out like the data folder (gsm8k/test.jsonl, ...) to download from instead of the pinned sources (default: $SLINGSHOT_DATASETS_MIRROR)",
    };
    public Option<bool> UnsafeRunCode { get; } = new("--unsafe-run-code") { Description = "Run model-written code WITHOUT isolation when bubblewrap is unavailable (dangerous)" };

    public void AddTo(Command command)
    {
        command.Add(Datasets);
        command.Add(DatasetsMirror);
        command.Add(UnsafeRunCode);
    }

    /// <summary>The registry over the data folder, downloading nothing (for listing); the sandbox is created only when a code task needs it.</summary>
    public BenchmarkRegistry Registry(ParseResult parse, out Func<ICodeSandbox> sandbox) =>
        Registry(parse, DatasetLocation.Root(parse.GetValue(Datasets)), out sandbox);

    /// <summary>
    /// The benchmark <paramref name="name"/> (a built-in name or a task file) with its data in place: a built-in benchmark's
    /// files are downloaded into the cache on first use unless a data folder was given.
    /// </summary>
    public async Task<(IBenchmarkTask Task, Func<ICodeSandbox> Sandbox)> ResolveAsync(ParseResult parse, string name, CancellationToken cancellationToken)
    {
        var needed = DatasetManifest.BuiltIn.ForTask(name);
        var root = await DatasetLocation.EnsureAsync(parse.GetValue(Datasets), parse.GetValue(DatasetsMirror), needed, cancellationToken);
        var task = Registry(parse, root, out var sandbox).Resolve(name);
        return (task, sandbox);
    }

    private BenchmarkRegistry Registry(ParseResult parse, string root, out Func<ICodeSandbox> sandbox)
    {
        var allowUnsafe = parse.GetValue(UnsafeRunCode);
        var lazy = new Lazy<ICodeSandbox>(() => CodeSandbox.Create(allowUnsafe));
        sandbox = () => lazy.Value;
        return new BenchmarkRegistry(new BenchmarkEnvironment(root, new LazySandbox(lazy)));
    }

    /// <summary>Creates the sandbox on first use, so tasks without code never need one and code tasks fail before drawing.</summary>
    private sealed class LazySandbox(Lazy<ICodeSandbox> inner) : ICodeSandbox
    {
        public string Description => inner.Value.Description;

        public Task<SandboxResult> RunPythonAsync(string program, SandboxLimits? limits = null, string? stdin = null, CancellationToken cancellationToken = default) =>
            inner.Value.RunPythonAsync(program, limits, stdin, cancellationToken);
    }
}

using System.CommandLine;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Cli;

/// <summary>Options shared by the commands that resolve benchmark tasks (eval, grade, tasks).</summary>
internal sealed class TaskOptionSet
{
    public Option<string?> Datasets { get; } = new("--datasets") { Description = "Benchmark data directory (default: $SLINGSHOT_DATASETS, else shared/datasets beside the checkout)" };
    public Option<bool> UnsafeRunCode { get; } = new("--unsafe-run-code") { Description = "Run model-written code WITHOUT isolation when bubblewrap is unavailable (dangerous)" };

    public void AddTo(Command command)
    {
        command.Add(Datasets);
        command.Add(UnsafeRunCode);
    }

    /// <summary>The registry over the data set directory; the code sandbox is created only when a code task needs it.</summary>
    public BenchmarkRegistry Registry(ParseResult parse, out Func<ICodeSandbox> sandbox)
    {
        var allowUnsafe = parse.GetValue(UnsafeRunCode);
        var lazy = new Lazy<ICodeSandbox>(() => CodeSandbox.Create(allowUnsafe));
        sandbox = () => lazy.Value;
        return new BenchmarkRegistry(new BenchmarkEnvironment(SharedData.Datasets(parse.GetValue(Datasets)), new LazySandbox(lazy)));
    }

    /// <summary>Creates the sandbox on first use, so tasks without code never need one and code tasks fail before drawing.</summary>
    private sealed class LazySandbox(Lazy<ICodeSandbox> inner) : ICodeSandbox
    {
        public string Description => inner.Value.Description;

        public Task<SandboxResult> RunPythonAsync(string program, SandboxLimits? limits = null, string? stdin = null, CancellationToken cancellationToken = default) =>
            inner.Value.RunPythonAsync(program, limits, stdin, cancellationToken);
    }
}

using System.Globalization;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Optimization;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Remote;

namespace Slingshot.Cli.Commands;

/// <summary>
/// Draws an arm's samples the way <c>slingshot eval</c> does (same runner, same run ids, same seeds), over a split of
/// the task's problems: an eval run with the same settings and the search share their samples. Local models are
/// loaded on first use and kept; endpoints are connected on first use.
/// </summary>
internal sealed class EvalArmSampler(IBenchmarkTask task, IReadOnlyList<OptimizeCandidate> candidates, RunStore store, EvalArmSampler.EngineShape shape)
    : IArmSampler, IDisposable
{
    /// <summary>How local engines are built.</summary>
    public sealed record EngineShape(int? Threads, int ContextSize, int Sequences, int Concurrency, long Seed, int? MaxTokens);

    private readonly Dictionary<string, EvalModel> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<ArmKey, string> _runIds = [];
    private readonly List<IDisposable> _owned = [];

    /// <summary>Local candidates whose file has no chat template: evaluated (and so served) with ChatML.</summary>
    public HashSet<string> WithoutChatTemplate { get; } = new(StringComparer.Ordinal);

    /// <summary>Where each eval run's progress goes (set by the progress display).</summary>
    public ProgressTarget OnProgressTarget { get; } = new();

    /// <summary>A settable receiver of (arm, progress).</summary>
    public sealed class ProgressTarget
    {
        public Action<ArmKey, EvalProgress>? Handler { get; set; }
    }

    public string RunId(ArmKey arm) => _runIds.TryGetValue(arm, out var id) ? id : Runner(arm, [], 1).RunId;

    public long? Parameters(ArmKey arm) => Model(arm.Candidate).Source.Info.Parameters;

    public async Task<int> EnsureAsync(ArmKey arm, IReadOnlyList<string> problemIds, int samples, CancellationToken cancellationToken)
    {
        var runner = Runner(arm, problemIds, samples);
        var drawn = 0;
        var progress = new InlineProgress(p =>
        {
            drawn = p.SamplesDrawn;
            OnProgressTarget.Handler?.Invoke(arm, p);
        });
        try
        {
            await runner.RunAsync(progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.ClientModel.ClientResultException or TimeoutException or HttpRequestException)
        {
            var candidate = candidates.First(c => c.Name == arm.Candidate);
            var status = e is System.ClientModel.ClientResultException { Status: > 0 } r ? $"HTTP {r.Status}: " : "";
            throw new SlingshotException($"candidate '{candidate.Name}' at {candidate.Url} (model {candidate.Model}): {status}{e.Message} (samples drawn so far are stored; rerun to resume)", e);
        }
        return drawn;
    }

    private EvalRunner Runner(ArmKey arm, IReadOnlyList<string> problemIds, int samples)
    {
        var runner = new EvalRunner(new ProblemSubsetTask(task, problemIds), Model(arm.Candidate), store, new EvalOptions
        {
            SamplesPerProblem = samples,
            Temperature = arm.Temperature,
            MaxTokens = shape.MaxTokens,
            Seed = shape.Seed,
            Logprobs = true,
        });
        _runIds[arm] = runner.RunId;
        return runner;
    }

    private EvalModel Model(string name)
    {
        if (_models.TryGetValue(name, out var model))
        {
            return model;
        }
        var candidate = candidates.First(c => c.Name == name);
        if (candidate.IsLocal)
        {
            var loaded = Load(candidate.Path!);
            _owned.Add(loaded);
            if (loaded.Model.Info.ChatTemplate is null)
            {
                WithoutChatTemplate.Add(name);
            }
            model = EvalCommand.LocalModel(loaded, shape.Concurrency, TokenPrice.Free);
        }
        else
        {
            var client = RemoteModel.Connect(new RemoteModelOptions
            {
                Url = candidate.Url!,
                Model = candidate.Model!,
                Price = new TokenPrice(candidate.InputPricePerMillion, candidate.OutputPricePerMillion),
            });
            _owned.Add(client);
            model = EvalCommand.RemoteEvalModel(client, shape.Concurrency);
        }
        _models[name] = model;
        return model;
    }

    private LoadedEngine Load(string path)
    {
        var model = LlamaModel.Load(path);
        try
        {
            var engine = new LlamaEngine(model, new EngineOptions { ContextSize = shape.ContextSize, Threads = shape.Threads, MaxSequences = shape.Sequences });
            if (shape.MaxTokens is { } max && max >= engine.SequenceContextSize)
            {
                engine.Dispose();
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"--max-tokens {max} does not fit the context of {engine.SequenceContextSize} tokens per sequence of '{path}' (raise --ctx or lower --max-tokens)."));
            }
            return new LoadedEngine(model, engine, []);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
        _owned.Clear();
    }

    private sealed class InlineProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }
}

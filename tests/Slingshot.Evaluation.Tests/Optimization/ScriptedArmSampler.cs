using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Optimization;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Tests.Optimization;

/// <summary>
/// Draws "samples" from a script into a real store, as the eval runner would commit them: one call per problem for the
/// missing indices, graded at once. Counts every sample it draws, so tests can see what the search spent.
/// </summary>
internal sealed class ScriptedArmSampler(RunStore store, Func<ArmKey, string, int, ScriptedArmSampler.Sample> script) : IArmSampler
{
    /// <summary>One scripted sample: answer (null = none), verdict, mean log-probability.</summary>
    public sealed record Sample(string? Answer, bool Correct, double? MeanLogprob = null);

    public int PromptTokens { get; init; } = 100;

    public int CompletionTokensPerSample { get; init; } = 10;

    public double LatencyMsPerSample { get; init; } = 50;

    public long Drawn { get; private set; }

    public List<(ArmKey Arm, int Samples, int Problems)> Calls { get; } = [];

    public string RunId(ArmKey arm) => $"opt-{arm.Candidate}-t{arm.Temperature:0.##}";

    public long? Parameters(ArmKey arm) => 1_000_000;

    public Task<int> EnsureAsync(ArmKey arm, IReadOnlyList<string> problemIds, int samples, CancellationToken cancellationToken)
    {
        var runId = RunId(arm);
        store.EnsureRun(runId, new RunSettings { Model = arm.Candidate, Task = "scripted", TaskVersion = "scripted@1", SamplesPerProblem = samples, Temperature = arm.Temperature, Seed = 1 }, 1_000_000);
        store.AddProblems(runId, problemIds.Select((id, i) => (id, Ordinal(id), "[]", (string?)"ref")));
        var stored = store.StoredIndices(runId);
        var drawn = 0;
        foreach (var id in problemIds)
        {
            var have = stored.TryGetValue(id, out var set) ? set.Count : 0;
            if (have >= samples)
            {
                continue;
            }
            var count = samples - have;
            var batch = Enumerable.Range(have, count).Select(i =>
            {
                var s = script(arm, id, i);
                return new StoredSample
                {
                    ProblemId = id,
                    Index = i,
                    Text = s.Answer ?? "(none)",
                    CompletionTokens = CompletionTokensPerSample,
                    MeanLogprob = s.MeanLogprob,
                    Answer = s.Answer,
                    Correct = s.Correct,
                    Reason = "scripted",
                    GradedWith = "scripted@1",
                };
            }).ToList();
            store.AddDraw(runId, new StoredDraw(id, have, count, PromptTokens, count * CompletionTokensPerSample, count * LatencyMsPerSample, 0), batch);
            drawn += count;
        }
        Drawn += drawn;
        Calls.Add((arm, samples, problemIds.Count));
        return Task.FromResult(drawn);
    }

    private static int Ordinal(string id) => int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
}

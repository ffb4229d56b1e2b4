using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Tests.Cascades;

/// <summary>Writes graded runs into a real store: one draw per problem holding all its samples.</summary>
internal static class CascadeStoreBuilder
{
    /// <summary>One stored sample: its extracted answer (null = none), whether it is correct, and its mean logprob.</summary>
    public sealed record Sample(string? Answer, bool Correct, double? MeanLogprob = null, int CompletionTokens = 5);

    public static void AddRun(RunStore store, string runId, IReadOnlyList<(string ProblemId, Sample[] Samples)> problems,
        int promptTokens = 10, double costPerDraw = 0, double latencyMs = 100)
    {
        store.EnsureRun(runId, new RunSettings { Model = runId, Task = "t", TaskVersion = "t@1", SamplesPerProblem = problems.Max(p => p.Samples.Length), Seed = 1 }, null);
        store.AddProblems(runId, problems.Select((p, i) => (p.ProblemId, i, "[]", (string?)"ref")));
        foreach (var (problemId, samples) in problems)
        {
            store.AddDraw(runId, new StoredDraw(problemId, 0, samples.Length, promptTokens, samples.Sum(s => s.CompletionTokens), latencyMs, costPerDraw),
                [.. samples.Select((s, i) => new StoredSample
                {
                    ProblemId = problemId,
                    Index = i,
                    Text = s.Answer ?? "",
                    CompletionTokens = s.CompletionTokens,
                    MeanLogprob = s.MeanLogprob,
                    Answer = s.Answer,
                    Correct = s.Correct,
                    Reason = "test",
                    GradedWith = "t@1",
                })]);
        }
    }

    /// <summary>
    /// A small tier whose k samples agree more often when they are right, and a large tier right with probability
    /// <paramref name="largeAccuracy"/>: the shape a cascade exploits. Deterministic for a seed.
    /// </summary>
    public static void AddSyntheticTiers(RunStore store, int problems, int k, double largeAccuracy, int seed)
    {
        var random = new Random(seed);
        var small = new List<(string, Sample[])>();
        var large = new List<(string, Sample[])>();
        for (var p = 0; p < problems; p++)
        {
            var id = $"t/{p}";
            var easiness = random.NextDouble();
            small.Add((id, [.. Enumerable.Range(0, k).Select(_ => random.NextDouble() < easiness
                ? new Sample("right", true, -0.2)
                : new Sample($"wrong{random.Next(3)}", false, -1.5))]));
            var ok = random.NextDouble() < largeAccuracy;
            large.Add((id, [new Sample(ok ? "right" : "wrong", ok)]));
        }
        AddRun(store, "small", small, promptTokens: 20, costPerDraw: 0.0001);
        AddRun(store, "large", large, promptTokens: 20, costPerDraw: 0.01);
    }
}

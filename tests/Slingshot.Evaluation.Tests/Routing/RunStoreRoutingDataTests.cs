using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Routing;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Tests.Routing;

public sealed class RunStoreRoutingDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-store-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RunSettings Settings(string model) =>
        new() { Model = model, Task = "gsm8k", TaskVersion = "gsm8k@1", SamplesPerProblem = 1, Temperature = 0, MaxTokens = 16, Seed = 1 };

    private static void AddRun(RunStore store, string runId, string model, params (string Problem, bool Correct)[] outcomes)
    {
        store.EnsureRun(runId, Settings(model), null);
        store.AddProblems(runId, outcomes.Select((o, i) => (o.Problem, i, $$"""[{"role":"system","content":"Be brief."},{"role":"user","content":"Question {{o.Problem}}"}]""", (string?)"1")));
        foreach (var (problem, _) in outcomes)
        {
            store.AddDraw(runId, new StoredDraw(problem, 0, 1, 5, 3, 1, 0), [new StoredSample { ProblemId = problem, Index = 0, Text = "1" }]);
        }
        store.SetGrades(runId, outcomes.Select(o => (o.Problem, 0, (string?)"1", o.Correct, "", "gsm8k@1")));
    }

    [Fact]
    public void Load_TwoGradedRuns_LabelsFromEachRunsFirstSampleAndUserText()
    {
        using var store = RunStore.Open(Path.Combine(_dir, "runs.db"));
        AddRun(store, "small", "tiny", ("p1", true), ("p2", false), ("p3", false));
        AddRun(store, "large", "big", ("p1", true), ("p2", true));

        var examples = RunStoreRoutingData.Load(store, "small", "large");

        Assert.Equal(
            [new RoutingExample("p1", "Question p1", true, true), new RoutingExample("p2", "Question p2", false, true)],
            examples);
    }

    [Fact]
    public void Load_UnknownRun_OneLineError()
    {
        using var store = RunStore.Open(Path.Combine(_dir, "runs.db"));
        AddRun(store, "small", "tiny", ("p1", true));

        var ex = Assert.Throws<SlingshotException>(() => RunStoreRoutingData.Load(store, "small", "missing"));

        Assert.Contains("No run 'missing'", ex.Message, StringComparison.Ordinal);
    }
}

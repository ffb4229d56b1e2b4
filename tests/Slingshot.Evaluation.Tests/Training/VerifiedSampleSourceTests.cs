using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;
using Slingshot.Evaluation.Training;
using Slingshot.Training;

namespace Slingshot.Evaluation.Tests.Training;

public sealed class VerifiedSampleSourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("verified-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store()
    {
        var path = Path.Combine(_dir, "runs.db");
        using var store = RunStore.Open(path);
        store.EnsureRun("r", new RunSettings { Model = "m", Task = "t", TaskVersion = "t@1", SamplesPerProblem = 4, Temperature = 0.7, MaxTokens = 64, Seed = 1 }, null);
        store.AddProblems("r", new[] { "t/train-1", "t/train-2", "t/test-1" }.Select((p, i) => (p, i, $$"""[{"role":"user","content":"Q {{p}}"}]""", (string?)"4")));
        // train-1: a wrong sample, two correct ones that differ only in spaces, a third correct one, a truncated correct one.
        Add(store, "t/train-1", ("5", false, "stop"), ("#### 4", true, "stop"), ("####  4 ", true, "stop"), ("2+2=4\n#### 4", true, "stop"), ("#### 4 and", true, "length"));
        Add(store, "t/train-2", ("#### 3", false, "stop"));
        Add(store, "t/test-1", ("#### 4", true, "stop"));
        return path;
    }

    private static void Add(RunStore store, string problem, params (string Text, bool Correct, string Finish)[] samples)
    {
        store.AddDraw("r", new StoredDraw(problem, 0, samples.Length, 5, 3, 1, 0),
            samples.Select((s, i) => new StoredSample { ProblemId = problem, Index = i, Text = s.Text, FinishReason = s.Finish }).ToList());
        store.SetGrades("r", samples.Select((s, i) => (problem, i, (string?)"4", s.Correct, "", "t@1")));
    }

    [Fact]
    public void Read_TrainSplitOnly_CorrectDistinctSamplesUpToM()
    {
        var source = new VerifiedSampleSource(Store(), "r", new VerifiedSampleOptions { MaxPerProblem = 2, IncludeProblem = id => id.Contains("train", StringComparison.Ordinal) });

        var examples = source.ReadExamples().Cast<ChatExample>().ToList();

        Assert.Equal(2, examples.Count);
        Assert.All(examples, e => Assert.Equal(new ChatTurn("user", "Q t/train-1"), e.Messages[0]));
        Assert.Equal(["#### 4", "2+2=4\n#### 4"], examples.Select(e => e.Messages[^1].Content));
        Assert.Equal(["r/t/train-1#1", "r/t/train-1#3"], examples.Select(e => e.Origin));
    }

    [Fact]
    public void Read_NoFilter_IncludesEveryProblemsCorrectSamples()
    {
        var examples = new VerifiedSampleSource(Store(), "r").ReadExamples().ToList();

        Assert.Equal(["r/t/test-1#0", "r/t/train-1#1"], examples.Select(e => e.Origin));
    }

    [Fact]
    public void Read_UnknownRun_OneLineError()
    {
        var error = Assert.Throws<ArgumentException>(() => new VerifiedSampleSource(Store(), "missing").ReadExamples().ToList());

        Assert.Contains("Run 'missing' is not in", error.Message, StringComparison.Ordinal);
    }
}

using System.Collections.Concurrent;
using Slingshot.Evaluation.Runs;
using Slingshot.Evaluation.Store;
using Slingshot.Evaluation.Tests.Support;
using Slingshot.Strategies.Judging;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Tests.Runs;

public sealed class JudgeSelectionTests(StoriesClientFixture fixture) : IClassFixture<StoriesClientFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-judge-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(RunStore Store, string RunId, Slingshot.Evaluation.Metrics.RunSummary Summary)> DrawAsync()
    {
        var store = RunStore.Open(Path.Combine(_dir, "runs.db"));
        var runner = new EvalRunner(new StoryTask(problems: 4), fixture.Model(), store,
            new EvalOptions { SamplesPerProblem = 4, Temperature = 1.0, Seed = 11, MaxTokens = 10 });
        var summary = await runner.RunAsync();
        return (store, runner.RunId, summary);
    }

    [Fact]
    public async Task Evaluate_JudgeThatKnowsTheGrader_MatchesTheOracleVerifierSelection()
    {
        var (store, runId, summary) = await DrawAsync();
        using var _ = store;
        var judge = new ContextRecordingJudge();

        var result = await JudgeSelection.EvaluateAsync(store, runId, judge);

        Assert.Equal(summary.VerifierSelectedAccuracy!.Value, result.Accuracy, 9);
        Assert.Equal(4, result.SamplesPerProblem);
        Assert.Equal(4, result.Problems.Count);
        // Each sample was judged with its problem's question (the story opening) and reference.
        Assert.Equal(16, judge.Contexts.Count);
        Assert.Contains(judge.Contexts, c => c.Question == "Once upon a time" && c.Reference == "the");
    }

    [Fact]
    public async Task Evaluate_JudgeModel_ChoosesEachProblemsHighestPYesSample()
    {
        var (store, runId, _) = await DrawAsync();
        using var _ = store;
        var judge = new JudgeVerifier(fixture.Engine, new JudgeOptions
        {
            Template = JudgeTemplate.Custom("{question}{candidate} Then"),
            PromptFormat = JudgePromptFormat.Raw,
            YesWords = ["he"],
            NoWords = ["she"],
        });

        var result = await JudgeSelection.EvaluateAsync(store, runId, judge, maxParallelism: 2);

        var samples = store.GetSamples(runId);
        var problems = store.GetProblems(runId).ToDictionary(p => p.ProblemId);
        foreach (var problem in result.Problems)
        {
            var mine = samples.Where(s => s.ProblemId == problem.ProblemId).OrderBy(s => s.Index).ToList();
            var question = JudgeSelection.Question(problems[problem.ProblemId].PromptJson);
            var scores = new List<double>();
            foreach (var sample in mine)
            {
                scores.Add((await judge.ScoreAsync(question, sample.Text, null)).PYes);
            }
            var best = scores.IndexOf(scores.Max());
            Assert.Equal(mine[best].Index, problem.ChosenIndex);
            Assert.Equal(mine[best].Correct, problem.Correct);
            Assert.Equal(scores[best], problem.Score!.Value, 4); // judged two at a time: batching moves the last digits
        }
        Assert.Equal(result.Problems.Average(p => p.Correct ? 1.0 : 0.0), result.Accuracy);
    }

    [Fact]
    public async Task Evaluate_UnknownRun_ThrowsStoreError()
    {
        using var store = RunStore.Open(Path.Combine(_dir, "empty.db"));

        await Assert.ThrowsAsync<StoreException>(() => JudgeSelection.EvaluateAsync(store, "nope", new ContextRecordingJudge()));
    }

    /// <summary>Scores a sample 1 when it mentions the reference word, as the story grader does, and records what it was told.</summary>
    private sealed class ContextRecordingJudge : IVerifier
    {
        public ConcurrentBag<VerificationContext> Contexts { get; } = [];

        public string Name => "knows-the-grader";

        public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
        {
            Contexts.Add(context);
            var mentions = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(context.Reference, StringComparer.OrdinalIgnoreCase);
            return ValueTask.FromResult(new Verdict(mentions, "scripted") { Score = mentions ? 0.9 : 0.1 });
        }
    }
}

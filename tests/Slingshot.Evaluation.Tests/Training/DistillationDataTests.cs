using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;
using Slingshot.Evaluation.Training;
using Slingshot.Training;

namespace Slingshot.Evaluation.Tests.Training;

/// <summary>Distillation takes verified samples of the training split only: never a problem an evaluation holds out.</summary>
public sealed class DistillationDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("distill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A task file over records {id, q, a}.</summary>
    private UserTask Task(string name, params (string Id, string Question)[] records)
    {
        File.WriteAllLines(Path.Combine(_dir, name + ".jsonl"), records.Select(r => $$"""{"id": "{{r.Id}}", "q": "{{r.Question}}", "a": "4"}"""));
        var file = Path.Combine(_dir, name + ".json");
        File.WriteAllText(file, $$"""{"name": "{{name}}", "data": "{{name}}.jsonl", "prompt": "{q}", "reference": "a", "extractor": "gsm8k-strict", "id": "id"}""");
        return UserTask.Load(file);
    }

    /// <summary>A run on the train task (problems 1-3, one of them also in the test task) plus one test problem.</summary>
    private string Store()
    {
        var path = Path.Combine(_dir, "runs.db");
        using var store = RunStore.Open(path);
        store.EnsureRun("r", new RunSettings { Model = "m", Task = "train", TaskVersion = "train@1", SamplesPerProblem = 3, Temperature = 0.7, MaxTokens = 64, Seed = 1 }, null);
        var problems = new[] { ("train/1", "What is 2+2?"), ("train/2", "What is 1+3?"), ("train/3", "What is 3+1?"), ("test/9", "What is 0+4?") };
        store.AddProblems("r", problems.Select((p, i) => (p.Item1, i, $$"""[{"role":"user","content":"{{p.Item2}}"}]""", (string?)"4")));
        foreach (var (id, _) in problems)
        {
            // Each problem: a wrong sample, a correct one, the same correct one again with other spacing, another correct one.
            string[] texts = ["#### 5", "2+2=<<2+2=4>>4\n#### 4", "2+2=<<2+2=4>>4\n####  4", "#### 4"];
            store.AddDraw("r", new StoredDraw(id, 0, texts.Length, 5, 3, 1, 0),
                texts.Select((t, i) => new StoredSample { ProblemId = id, Index = i, Text = t, FinishReason = "stop" }).ToList());
            store.SetGrades("r", texts.Select((t, i) => (id, i, (string?)"4", i > 0, "", "train@1")));
        }
        return path;
    }

    [Fact]
    public void Select_RunWithHeldOutAndOtherSplitProblems_OnlyVerifiedTrainSplitSamplesUpToM()
    {
        var train = Task("train", ("1", "What is 2+2?"), ("2", "What is 1+3?"), ("3", "What is 3+1?"));
        var test = Task("test", ("9", "What is 0+4?"), ("7", "What is 3+1?"));

        var set = DistillationData.Select(Store(), "r", train, [test], new DistillationOptions { MaxPerProblem = 2 });
        var examples = set.Source.ReadExamples().Cast<ChatExample>().ToList();

        Assert.Equal(["r/train/1#1", "r/train/1#3", "r/train/2#1", "r/train/2#3"], examples.Select(e => e.Origin));
        Assert.All(examples, e => Assert.DoesNotContain("#### 5", e.Messages[^1].Content, StringComparison.Ordinal));
        Assert.Equal((4, 2, 2, 1, 1), (set.Examples, set.Problems, set.TrainSplitProblems, set.OutsideTrainSplit, set.HeldOut));
    }

    [Fact]
    public void Select_RunOfTheEvaluationSplit_OneLineError()
    {
        var train = Task("other", ("1", "What is 5+5?"));

        var error = Assert.Throws<ArgumentException>(() => DistillationData.Select(Store(), "r", train, []));

        Assert.Contains("holds no problem of the training split 'other' (4 outside it, 0 held out", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}

using Slingshot.Training;

namespace Slingshot.Tests.Training;

/// <summary>The pure parts of training: packing, schedule, tensor selection, data files.</summary>
public sealed class TrainingPartsTests
{
    [Fact]
    public void Pack_ShortExamples_FillEveryWindowWithoutSplittingAnyExample()
    {
        var examples = Enumerable.Range(0, 10).Select(i => Enumerable.Repeat(i, 100).ToArray()).ToList();
        var order = Enumerable.Range(0, 10).ToList();

        var windows = WindowPacker.Pack(examples, order, 256);

        Assert.All(windows, w => Assert.Equal(257, w.Length));
        Assert.Equal(WindowPacker.CountWindows(examples.Select(e => e.Length).ToList(), order, 256), windows.Count);
        // Window 0: examples 0, 1, then the beginning of 2; window 1 starts with all of 2.
        Assert.Equal(Enumerable.Repeat(0, 100).Concat(Enumerable.Repeat(1, 100)).Concat(Enumerable.Repeat(2, 57)), windows[0]);
        Assert.Equal(Enumerable.Repeat(2, 100), windows[1][..100]);
        // Every example starts some window or follows a whole one: each is trained whole at least once.
        foreach (var i in order)
        {
            Assert.Contains(windows, w => w.AsSpan().IndexOf(Enumerable.Repeat(i, 100).ToArray()) >= 0);
        }
    }

    [Fact]
    public void FitToWindow_LongExample_SplitIntoOverlappingPieces()
    {
        var pieces = WindowPacker.FitToWindow([Enumerable.Range(0, 600).ToArray()], 256);

        Assert.Equal([0, 256, 512], pieces.Select(p => p[0]));
        Assert.Equal(257, pieces[0].Length);
        Assert.Equal(599, pieces[^1][^1]);
    }

    [Fact]
    public void Schedule_WarmupThenCosine_HitsPeakAndMinimum()
    {
        // 10 warm-up steps, then 101 steps of decay: step 10 is the peak, step 110 the minimum, step 60 halfway.
        var schedule = new LearningRateSchedule(1e-3, 1e-4, WarmupSteps: 10, TotalSteps: 111, DecayKind.Cosine);

        Assert.Equal(1e-4, schedule.At(0), 12);
        Assert.Equal(1e-3, schedule.At(9), 12);
        Assert.Equal(1e-3, schedule.At(10), 12);
        Assert.Equal(5.5e-4, schedule.At(60), 12);
        Assert.Equal(1e-4, schedule.At(110), 12);
        Assert.True(schedule.At(500) > 0);
    }

    [Fact]
    public void Schedule_Linear_FallsEvenly()
    {
        var schedule = new LearningRateSchedule(1.0, 0.5, WarmupSteps: 0, TotalSteps: 11, DecayKind.Linear);

        Assert.Equal([1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5], Enumerable.Range(0, 11).Select(i => Math.Round(schedule.At(i), 10)));
    }

    [Theory]
    [InlineData("all", "blk.0.attn_q.weight", true)]
    [InlineData("output", "output.weight", true)]
    [InlineData("output", "output_norm.weight", true)]
    [InlineData("output", "blk.4.attn_q.weight", false)]
    [InlineData("norms", "blk.2.ffn_norm.weight", true)]
    [InlineData("norms", "blk.2.ffn_up.weight", false)]
    [InlineData("last:2", "blk.4.ffn_up.weight", true)]
    [InlineData("last:2", "blk.3.attn_k.weight", true)]
    [InlineData("last:2", "blk.2.attn_k.weight", false)]
    [InlineData("blk.1.ffn_*,output", "blk.1.ffn_down.weight", true)]
    [InlineData("blk.1.ffn_*,output", "blk.1.attn_q.weight", false)]
    public void Selection_Includes_ByName(string selection, string tensor, bool expected) =>
        Assert.Equal(expected, TensorSelection.Parse(selection).Includes(tensor, blockCount: 5));

    [Theory]
    [InlineData("")]
    [InlineData("last:0")]
    [InlineData("everything")]
    [InlineData("all,output")]
    public void Selection_Bad_OneLineError(string selection)
    {
        var error = Assert.Throws<ArgumentException>(() => TensorSelection.Parse(selection));
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void DataFile_EveryFormat_Parsed()
    {
        Assert.Equal(new TextExample("hi"), TrainingDataFile.Parse("{\"text\": \"hi\"}", "f:1") with { Origin = "" });
        Assert.Equal(new PromptCompletionExample("a", "b"), TrainingDataFile.Parse("{\"prompt\": \"a\", \"completion\": \"b\"}", "f:1") with { Origin = "" });
        var chat = Assert.IsType<ChatExample>(TrainingDataFile.Parse("{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}", "f:1"));
        Assert.Equal([new ChatTurn("user", "q"), new ChatTurn("assistant", "a")], chat.Messages);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "expected a JSON object")]
    [InlineData("{\"other\": 1}", "expected \"text\"")]
    [InlineData("{\"messages\": []}", "non-empty array")]
    [InlineData("{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}", "unknown role 'robot'")]
    [InlineData("{\"prompt\": \"a\"}", "\"completion\" must be a string")]
    public void DataFile_BadLine_NamesOriginAndProblem(string line, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TrainingDataFile.Parse(line, "data.jsonl:7"));
        Assert.StartsWith("data.jsonl:7: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataFile_PlainText_ParagraphsAreExamples()
    {
        var path = TrainingFixtures.TempPath("story.txt");
        File.WriteAllText(path, "one\ntwo\n\n\nthree\n");

        var examples = new TrainingDataFile(path).ReadExamples().Cast<TextExample>().Select(e => e.Text);

        Assert.Equal(["one\ntwo", "three"], examples);
    }
}

using Slingshot.Evaluation.Routing;

namespace Slingshot.Evaluation.Tests.Routing;

public sealed class RouteLlmDataTests
{
    public static string ResponsesFolder => Path.Combine(TestPaths.Datasets, "routing", "routellm", "mmlu", "responses");

    [Fact]
    public void Load_MmluResponses_AllRowsWithPublishedCorrectness()
    {
        var examples = RouteLlmData.Load(ResponsesFolder);

        Assert.Equal(14042, examples.Count);
        Assert.Equal(9560, examples.Count(e => e.SmallCorrect)); // Mixtral-8x7B: 68.1%
        Assert.Equal(11315, examples.Count(e => e.LargeCorrect)); // GPT-4-1106: 80.6%
        Assert.Equal("mmlu_abstract_algebra/0", examples[0].Id);
        Assert.EndsWith("Answer:", examples[0].Prompt, StringComparison.Ordinal);
        Assert.Equal(examples.Count, examples.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void Load_MissingFolder_OneLineError() =>
        Assert.Contains("not found", Assert.Throws<SlingshotException>(() => RouteLlmData.Load("/nonexistent/folder")).Message, StringComparison.Ordinal);

    [Fact]
    public void Split_RealPrompts_DeterministicAboutTheFractionAndDuplicatesTogether()
    {
        var examples = RouteLlmData.Load(ResponsesFolder);

        var (train, heldOut) = RoutingSplit.Split(examples, 0.2);
        var again = RoutingSplit.Split(examples, 0.2);
        var otherSeed = RoutingSplit.Split(examples, 0.2, seed: 1);

        Assert.Equal(heldOut.Select(e => e.Id), again.HeldOut.Select(e => e.Id));
        Assert.InRange(heldOut.Count / (double)examples.Count, 0.18, 0.22);
        Assert.Equal(examples.Count, train.Count + heldOut.Count);
        Assert.NotEqual(heldOut.Select(e => e.Id), otherSeed.HeldOut.Select(e => e.Id));
        var trainPrompts = train.Select(e => e.Prompt).ToHashSet();
        Assert.DoesNotContain(heldOut, e => trainPrompts.Contains(e.Prompt));
    }
}

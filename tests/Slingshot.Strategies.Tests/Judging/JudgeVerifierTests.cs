using Slingshot.Strategies.Judging;
using Slingshot.Strategies.Tests.Middleware;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Judging;

/// <summary>
/// The judge on stories260K. Its 512-token vocabulary has no "yes" or "no", so the answer words are "he"
/// (counted as yes) and "she" (no): a story about a boy primes the one, a story about a girl the other.
/// </summary>
public sealed class JudgeVerifierTests(StoriesChatFixture fixture) : IClassFixture<StoriesChatFixture>
{
    private const string Boy = "Once upon a time, there was a little boy named Tim. Tim liked to play with his ball. One day,";
    private const string Girl = "Once upon a time, there was a little girl named Lily. Lily liked to play with her doll. One day,";

    private JudgeVerifier StoryJudge(double threshold = 0.5) => new(fixture.Engine, new JudgeOptions
    {
        Template = JudgeTemplate.Custom("{candidate}"),
        PromptFormat = JudgePromptFormat.Raw,
        YesWords = ["he"],
        NoWords = ["she"],
        Threshold = threshold,
    });

    [Fact]
    public async Task Score_PrimedEachWay_MovesWithTheModelsExpectation()
    {
        var judge = StoryJudge();

        var boy = await judge.ScoreAsync(null, Boy, null);
        var girl = await judge.ScoreAsync(null, Girl, null);

        Assert.True(boy.PYes > 0.5, $"boy story: P(he) share {boy.PYes}");
        Assert.True(girl.PYes < 0.5, $"girl story: P(he) share {girl.PYes}");
    }

    [Fact]
    public async Task Score_EqualsShareComputedFromTheFullNextTokenDistribution()
    {
        var judge = StoryJudge();
        var vocabulary = fixture.Engine.Model.Vocabulary;
        // The answer tokens found independently: every token that renders as he/she, whatever its case or space.
        var he = Enumerable.Range(0, vocabulary.Count).Where(t => vocabulary.Detokenize([t]).Trim().Equals("he", StringComparison.OrdinalIgnoreCase)).ToList();
        var she = Enumerable.Range(0, vocabulary.Count).Where(t => vocabulary.Detokenize([t]).Trim().Equals("she", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(he, judge.YesTokens);
        Assert.Equal(she, judge.NoTokens);

        foreach (var story in new[] { Boy, Girl })
        {
            var logprobs = await fixture.Engine.GetNextTokenLogprobsAsync(new GenerationRequest { Prompt = story });
            var pHe = he.Sum(t => Math.Exp(logprobs[t]));
            var pShe = she.Sum(t => Math.Exp(logprobs[t]));

            var score = await judge.ScoreAsync(null, story, null);

            Assert.Equal(pHe / (pHe + pShe), score.PYes, 5);
            Assert.Equal(pHe, score.YesProbability, 5);
            Assert.Equal(pShe, score.NoProbability, 5);
        }
    }

    [Fact]
    public async Task Verify_SetsScoreAndPassesOnlyAtTheThreshold()
    {
        var score = (await StoryJudge().ScoreAsync(null, Boy, null)).PYes;

        var passing = await StoryJudge(threshold: score).VerifyAsync(Boy, VerificationContext.Empty);
        var failing = await StoryJudge(threshold: Math.Min(1, score + 1e-6)).VerifyAsync(Boy, VerificationContext.Empty);

        Assert.True(passing.Passed);
        Assert.False(failing.Passed);
        Assert.Equal(score, passing.Score!.Value, 9);
        Assert.Contains("P(yes) =", passing.Reason);
    }

    [Fact]
    public void Constructor_VocabularyWithoutYesToken_ThrowsOneLineError()
    {
        var error = Assert.Throws<ArgumentException>(() => new JudgeVerifier(fixture.Engine));

        Assert.Contains("no single token for 'yes'", error.Message);
    }

    [Fact]
    public void BuildPrompt_ChatFormat_PutsTheFilledQuestionInTheTemplatesUserTurn()
    {
        var judge = new JudgeVerifier(fixture.Engine, new JudgeOptions
        {
            PromptFormat = JudgePromptFormat.Chat,
            ChatTemplate = "chatml",
            YesWords = ["he"],
            NoWords = ["she"],
        });

        var prompt = judge.BuildPrompt("What is 2 + 2?", "4", "4");

        Assert.StartsWith("<|im_start|>user\nQuestion: What is 2 + 2?", prompt);
        Assert.EndsWith("Answer:<|im_end|>\n<|im_start|>assistant\n", prompt);
        Assert.Equal("judge-correct", judge.Name);
    }

    [Fact]
    public void FromLogprobs_NeitherAnswerPossible_IsAnEvenScore()
    {
        var score = JudgeVerifier.FromLogprobs([float.NegativeInfinity], [float.NegativeInfinity]);

        Assert.Equal(0.5, score.PYes);
        Assert.Equal(0, score.AnswerMass);
    }

    [Fact]
    public void FromLogprobs_SeveralVariants_SumsEachSide()
    {
        var score = JudgeVerifier.FromLogprobs([MathF.Log(0.2f), MathF.Log(0.1f)], [MathF.Log(0.1f)]);

        Assert.Equal(0.75, score.PYes, 5);
        Assert.Equal(0.4, score.AnswerMass, 5);
    }
}

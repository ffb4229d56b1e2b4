using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;
using Slingshot.Strategies;
using Slingshot.Strategies.Sampling;
using Slingshot.Strategies.Sandbox;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Tests.Benchmarks;

/// <summary>
/// Offline grading (what <c>slingshot eval</c> and <c>slingshot grade</c> run) and online verification (a
/// <c>UseVerifier</c> pipeline serving the task) judge the same samples alike: same verdict, same reason, same
/// answer, and the labelled one.
/// </summary>
public sealed class GradingParityTests
{
    [SandboxFact]
    public async Task GradeAndUseVerifier_LabelledSamplesOfEveryTaskKind_GiveTheSameRightVerdict()
    {
        var registry = new BenchmarkRegistry(new BenchmarkEnvironment(TestPaths.Datasets, new BubblewrapSandbox()));
        var samples = GradingSample.Load();
        var failures = new List<string>();

        foreach (var group in samples.GroupBy(s => s.Task))
        {
            var task = registry.Resolve(group.Key);
            var problems = task.LoadProblems().ToDictionary(p => p.Id);
            foreach (var sample in group)
            {
                var problem = problems[sample.ProblemId];
                var offline = await task.GradeAsync(problem, sample.Text);
                var online = await ServeAsync(task, problem, sample.Text);

                if (offline != online)
                {
                    failures.Add($"{sample}: grade {offline} but UseVerifier {online}");
                }
                else if (offline.Correct != sample.Correct || offline.Answer != sample.Answer)
                {
                    failures.Add($"{sample}: both {offline}, labelled {(sample.Correct ? "right" : "wrong")} with answer '{sample.Answer}'");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(["gsm8k", "gsm8k-cot", "math500", "arc-easy", "humaneval", "mbpp"], samples.Select(s => s.Task).Distinct());
        Assert.All(samples.GroupBy(s => s.Task), g => Assert.True(g.Any(s => s.Correct) && g.Any(s => !s.Correct), g.Key));
    }

    [Fact]
    public async Task GradeAsync_UsesTheTasksVerifierAndExtractorOnTheProblemsContext()
    {
        var task = new Gsm8kTask(TestPaths.Datasets);
        var problem = task.LoadProblems()[0];

        var grade = await task.GradeAsync(problem, "So 9 * 2 = 18. The answer is 18.");
        var verdict = await task.Verifier.VerifyAsync("So 9 * 2 = 18. The answer is 18.", problem.VerificationContext);

        Assert.Equal(new Grade("18", true, verdict.Reason), grade);
        Assert.Equal("match", task.Verifier.Name);
        Assert.Equal("18", problem.VerificationContext.Reference);
    }

    /// <summary>
    /// Serves <paramref name="problem"/> through a real pipeline, <c>UseVerifier</c> with the task's verifier and
    /// extractor over a client that answers with <paramref name="text"/>, and reads the verdict of that one sample.
    /// </summary>
    private static async Task<Grade> ServeAsync(IBenchmarkTask task, Problem problem, string text)
    {
        IEnumerable<ChatMessage>? seen = null;
        var inner = new ScriptedChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                seen = messages;
                Assert.False(options?.AdditionalProperties?.ContainsKey(VerifierChatClient.ContextProperty) ?? false);
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { FinishReason = ChatFinishReason.Stop });
            },
        };
        using var client = new ChatClientBuilder(inner)
            .UseVerifier(task.Verifier, new VerifierChatClientOptions
            {
                Sampling = new RepeatedSamplingOptions { Count = 1 },
                Extractor = task.Extractor,
            })
            .Build();

        var response = await client.GetResponseAsync(problem.Messages, new ChatOptions
        {
            AdditionalProperties = new() { [VerifierChatClient.ContextProperty] = problem.VerificationContext },
        });

        Assert.Equal(problem.Messages, seen);
        Assert.Equal(text, response.Text);
        var outcome = response.GetStrategyOutcome()!;
        var verdict = Assert.Single(outcome.Verdicts!)!;
        Assert.Equal(verdict.Passed, outcome.Verified);
        var answer = outcome.Answer;
        return new Grade(answer, verdict.Passed, verdict.Reason);
    }
}

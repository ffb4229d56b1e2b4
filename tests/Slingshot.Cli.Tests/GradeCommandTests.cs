using System.Text.Json;

namespace Slingshot.Cli.Tests;

public sealed class GradeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-grade-").FullName;

    /// <summary>
    /// <c>slingshot grade</c> on files of the labelled samples gives each the labelled verdict and answer: the ones
    /// offline grading and <c>UseVerifier</c> are proven to give (Slingshot.Evaluation.Tests, GradingParityTests).
    /// </summary>
    [Fact]
    public void Grade_LabelledSamplesOfEveryTaskKind_GivesTheVerdictsUseVerifierGives()
    {
        var failures = new List<string>();
        foreach (var group in GradingSample.Load().GroupBy(s => s.Task))
        {
            var samples = group.ToList();
            var file = Path.Combine(_dir, $"{group.Key}.jsonl");
            File.WriteAllLines(file, samples.Select(s => JsonSerializer.Serialize(new { problem_id = s.ProblemId, text = s.Text })));

            var result = CliRunner.Run("grade", "--task", group.Key, "--samples", file, "--json");

            Assert.True(result.ExitCode == 0, result.ToString());
            var verdicts = result.Stdout.Split('\n').Where(l => l.StartsWith("{\"problem_id\"", StringComparison.Ordinal))
                .Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(samples.Count, verdicts.Count);
            for (var i = 0; i < samples.Count; i++)
            {
                var (correct, answer) = (verdicts[i].GetProperty("correct").GetBoolean(), verdicts[i].GetProperty("answer").GetString());
                if (verdicts[i].GetProperty("problem_id").GetString() != samples[i].ProblemId || correct != samples[i].Correct || answer != samples[i].Answer)
                {
                    failures.Add($"{samples[i]}: slingshot grade said {verdicts[i]}");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

using System.Text.Json;
using Slingshot.Evaluation.Store;
using Slingshot.Strategies.Selection;
using Slingshot.Strategies.Verification;

namespace Slingshot.Evaluation.Runs;

/// <summary>Which sample a judge chose for one problem, and whether the grader says it is correct.</summary>
/// <param name="ProblemId">Problem id.</param>
/// <param name="ChosenIndex">The sample with the highest judge score, or null when none could be judged.</param>
/// <param name="Score">Its score (P(yes) for a judge model).</param>
/// <param name="Correct">The grader's verdict on the chosen sample (false when none was chosen).</param>
public sealed record JudgedProblem(string ProblemId, int? ChosenIndex, double? Score, bool Correct);

/// <summary>Judge-selected accuracy of a stored run: the share of problems whose highest-scored sample is correct.</summary>
/// <param name="Judge">The verifier's name.</param>
/// <param name="SamplesPerProblem">Samples judged per problem (the same first n as the run's other figures).</param>
/// <param name="Accuracy">Share of problems whose chosen sample is correct.</param>
/// <param name="Problems">Each problem's choice.</param>
public sealed record JudgeSelectionResult(string Judge, int SamplesPerProblem, double Accuracy, IReadOnlyList<JudgedProblem> Problems);

/// <summary>
/// Best-of-n selection by a verifier's score over the graded samples of a stored run, without drawing anything:
/// each sample is judged with its problem's question (the last user message of the recorded prompt) and
/// reference, the highest <see cref="Verdict.Score"/> wins (ties: lowest index), and the grader's stored verdict on
/// that sample says whether the selection was right. It sits beside the run's verifier-selected (oracle) and
/// log-probability-selected accuracy.
/// </summary>
public static class JudgeSelection
{
    /// <summary>Judges run <paramref name="runId"/>'s graded samples (the first <paramref name="maxSamples"/> per problem, or all).</summary>
    /// <exception cref="StoreException">No such run.</exception>
    public static async Task<JudgeSelectionResult> EvaluateAsync(RunStore store, string runId, IVerifier judge, int? maxSamples = null,
        int maxParallelism = 4, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(judge);
        _ = store.GetRun(runId) ?? throw new StoreException($"No run '{runId}' in '{store.Path}'.");
        var graded = store.GetSamples(runId, maxIndex: maxSamples).Where(s => s.Correct is not null).ToList();
        var byProblem = graded.GroupBy(s => s.ProblemId, StringComparer.Ordinal).ToList();
        // The same first n samples of every problem that the run's summary uses.
        var n = byProblem.Count == 0 ? 0 : byProblem.Min(g => g.Count());
        var problems = store.GetProblems(runId).ToDictionary(p => p.ProblemId, StringComparer.Ordinal);
        var results = new List<JudgedProblem>(byProblem.Count);
        var judged = 0;
        foreach (var group in byProblem)
        {
            var samples = group.OrderBy(s => s.Index).Take(n).ToList();
            var context = problems.TryGetValue(group.Key, out var problem)
                ? new VerificationContext { Question = Question(problem.PromptJson), Reference = problem.Reference }
                : VerificationContext.Empty;
            var choice = await BestScored.SelectAsync(samples.Select(s => s.Text).ToList(), judge, _ => context, maxParallelism, cancellationToken)
                .ConfigureAwait(false);
            var chosen = choice.Selection.Index;
            results.Add(new JudgedProblem(group.Key, chosen is { } i ? samples[i].Index : null, choice.Selection.Confidence,
                chosen is { } c && samples[c].Correct == true));
            judged += samples.Count;
            progress?.Report(judged);
        }
        var accuracy = results.Count == 0 ? 0 : results.Average(r => r.Correct ? 1.0 : 0.0);
        return new JudgeSelectionResult(judge.Name, n, accuracy, results);
    }

    /// <summary>The question a problem asks: the last user message of its recorded prompt (few-shot prompts put examples before it).</summary>
    internal static string? Question(string promptJson)
    {
        using var doc = JsonDocument.Parse(promptJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        string? last = null;
        foreach (var message in doc.RootElement.EnumerateArray())
        {
            if (message.TryGetProperty("role", out var role) && role.GetString() == "user" && message.TryGetProperty("content", out var content))
            {
                last = content.GetString();
            }
        }
        return last;
    }
}

using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Runs;

/// <summary>What a grading pass did.</summary>
/// <param name="Graded">Samples graded.</param>
/// <param name="Changed">Samples whose verdict changed.</param>
/// <param name="Correct">Samples now graded correct.</param>
public sealed record RegradeOutcome(int Graded, int Changed, int Correct);

/// <summary>One externally produced sample and its grade.</summary>
/// <param name="ProblemId">The task's problem id it was matched to.</param>
/// <param name="Text">The sample.</param>
/// <param name="Grade">The verdict.</param>
public sealed record ExternalGrade(string ProblemId, string Text, Grade Grade);

/// <summary>Grading apart from drawing: re-grade stored samples with a fixed grader, or grade samples made elsewhere.</summary>
public static class RunGrader
{
    /// <summary>Re-grades every stored sample of a run with <paramref name="task"/>'s grader; no sample is drawn.</summary>
    /// <exception cref="StoreException">The run is missing or holds problems the task does not have.</exception>
    public static async Task<RegradeOutcome> RegradeAsync(RunStore store, string runId, IBenchmarkTask task,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(task);
        _ = store.GetRun(runId) ?? throw new StoreException($"No run '{runId}' in '{store.Path}'.");
        var problems = task.LoadProblems().ToDictionary(p => p.Id, StringComparer.Ordinal);
        int graded = 0, changed = 0, correct = 0;
        foreach (var group in store.GetSamples(runId).GroupBy(s => s.ProblemId))
        {
            if (!problems.TryGetValue(group.Key, out var problem))
            {
                throw new StoreException($"Run '{runId}' has problem '{group.Key}', which task '{task.Name}' does not have.");
            }
            var updates = new List<(string, int, string?, bool, string, string)>();
            foreach (var sample in group)
            {
                var grade = await task.GradeAsync(problem, sample.Text, cancellationToken).ConfigureAwait(false);
                updates.Add((sample.ProblemId, sample.Index, grade.Answer, grade.Correct, grade.Reason, task.Version));
                changed += sample.Correct != grade.Correct ? 1 : 0;
                correct += grade.Correct ? 1 : 0;
            }
            store.SetGrades(runId, updates);
            graded += updates.Count;
            progress?.Report(graded);
        }
        store.SetTaskVersion(runId, task.Version);
        return new RegradeOutcome(graded, changed, correct);
    }

    /// <summary>
    /// Grades samples produced by another system against <paramref name="task"/>. A sample's problem id may be the
    /// task's own ("gsm8k/17", "HumanEval/0") or its last part ("17").
    /// </summary>
    /// <exception cref="ArgumentException">A problem id the task does not have (one line, naming it).</exception>
    public static async IAsyncEnumerable<ExternalGrade> GradeExternalAsync(IBenchmarkTask task, IEnumerable<(string ProblemId, string Text)> samples,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(samples);
        var problems = task.LoadProblems();
        var byId = problems.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var bySuffix = problems.GroupBy(p => p.Id[(p.Id.LastIndexOf('/') + 1)..], StringComparer.Ordinal)
            .Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
        foreach (var (problemId, text) in samples)
        {
            if (!byId.TryGetValue(problemId, out var problem) && !bySuffix.TryGetValue(problemId, out problem))
            {
                throw new ArgumentException($"Task '{task.Name}' has no problem '{problemId}' (ids look like '{problems.FirstOrDefault()?.Id}').");
            }
            yield return new ExternalGrade(problem.Id, text, await task.GradeAsync(problem, text, cancellationToken).ConfigureAwait(false));
        }
    }
}

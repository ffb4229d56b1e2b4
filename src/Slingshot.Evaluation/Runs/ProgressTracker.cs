using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Runs;

/// <summary>Counts what a run has done (including what the store already held) and reports it.</summary>
internal sealed class ProgressTracker
{
    private readonly Lock _gate = new();
    private readonly IProgress<EvalProgress>? _progress;
    private readonly Dictionary<string, int> _remaining = new(StringComparer.Ordinal);
    private readonly HashSet<string> _solved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graded = new(StringComparer.Ordinal);
    private readonly int _problems;
    private readonly int _samplesTotal;
    private int _samplesDone;
    private int _samplesDrawn;
    private long _completionTokens;

    public ProgressTracker(int problems, int k, IReadOnlyDictionary<string, HashSet<int>> stored, IEnumerable<string> problemIds,
        IEnumerable<StoredSample> storedSamples, IEnumerable<PlannedCall> work, IProgress<EvalProgress>? progress)
    {
        _progress = progress;
        _problems = problems;
        _samplesTotal = problems * k;
        var ids = problemIds.ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            _remaining[id] = 0;
            _samplesDone += stored.TryGetValue(id, out var set) ? set.Count(i => i < k) : 0;
        }
        foreach (var call in work)
        {
            _remaining[call.ProblemId] += call.Count;
        }
        foreach (var sample in storedSamples.Where(s => ids.Contains(s.ProblemId) && s.Correct is not null))
        {
            _graded.Add(sample.ProblemId);
            if (sample.Correct == true)
            {
                _solved.Add(sample.ProblemId);
            }
        }
    }

    public void Completed(PlannedCall call, IReadOnlyList<StoredSample> samples, IReadOnlyList<Grade> grades, TimeSpan elapsed)
    {
        lock (_gate)
        {
            _remaining[call.ProblemId] -= call.Count;
            _samplesDone += samples.Count;
            _samplesDrawn += samples.Count;
            _completionTokens += samples.Sum(s => (long)s.CompletionTokens);
            _graded.Add(call.ProblemId);
            if (grades.Any(g => g.Correct))
            {
                _solved.Add(call.ProblemId);
            }
        }
        Report(elapsed);
    }

    public void Report(TimeSpan elapsed)
    {
        if (_progress is null)
        {
            return;
        }
        EvalProgress snapshot;
        lock (_gate)
        {
            snapshot = new EvalProgress
            {
                ProblemsDone = _remaining.Count(r => r.Value == 0),
                ProblemsTotal = _problems,
                SamplesDone = _samplesDone,
                SamplesTotal = _samplesTotal,
                SamplesDrawn = _samplesDrawn,
                CompletionTokens = _completionTokens,
                RunningCoverage = _graded.Count == 0 ? 0 : (double)_solved.Count / _graded.Count,
                Elapsed = elapsed,
            };
        }
        _progress.Report(snapshot);
    }
}

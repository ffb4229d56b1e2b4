using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Runs;

/// <summary>Counts what a run has done (including what the store already held, or another session stored) and reports it.</summary>
internal sealed class ProgressTracker
{
    private readonly Lock _gate = new();
    private readonly IProgress<EvalProgress>? _progress;
    private readonly Dictionary<string, int> _remaining = new(StringComparer.Ordinal);
    private readonly HashSet<string> _solved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _graded = new(StringComparer.Ordinal);
    private readonly int _problems;
    private readonly int _k;
    private readonly int _samplesTotal;
    private int _samplesDone;
    private int _samplesDrawn;
    private int _samplesElsewhere;
    private long _completionTokens;

    public ProgressTracker(int problems, int k, IEnumerable<string> problemIds, IProgress<EvalProgress>? progress)
    {
        _progress = progress;
        _problems = problems;
        _k = k;
        _samplesTotal = problems * k;
        foreach (var id in problemIds)
        {
            _remaining[id] = k;
        }
    }

    /// <summary>
    /// Takes the store's state: the indices stored per problem, whether each graded problem has a correct sample, and
    /// how many samples other sessions are drawing now. What this session drew so far is kept.
    /// </summary>
    public void Refresh(IReadOnlyDictionary<string, HashSet<int>> stored, IReadOnlyDictionary<string, bool> graded, int samplesElsewhere, TimeSpan elapsed)
    {
        lock (_gate)
        {
            _samplesDone = 0;
            _graded.Clear();
            _solved.Clear();
            foreach (var id in _remaining.Keys)
            {
                var have = stored.TryGetValue(id, out var set) ? set.Count(i => i < _k) : 0;
                _remaining[id] = _k - have;
                _samplesDone += have;
                if (graded.TryGetValue(id, out var solved))
                {
                    _graded.Add(id);
                    if (solved)
                    {
                        _solved.Add(id);
                    }
                }
            }
            _samplesElsewhere = samplesElsewhere;
        }
        Report(elapsed);
    }

    /// <summary>A call is drawn, stored and graded; <paramref name="completionTokens"/> is what its source reported for it.</summary>
    public void Completed(PlannedCall call, IReadOnlyList<StoredSample> samples, long completionTokens, IReadOnlyList<Grade> grades, TimeSpan elapsed)
    {
        lock (_gate)
        {
            _remaining[call.ProblemId] -= call.Count;
            _samplesDone += samples.Count;
            _samplesDrawn += samples.Count;
            _completionTokens += completionTokens;
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
                ProblemsDone = _remaining.Count(r => r.Value <= 0),
                ProblemsTotal = _problems,
                SamplesDone = _samplesDone,
                SamplesTotal = _samplesTotal,
                SamplesDrawn = _samplesDrawn,
                SamplesElsewhere = _samplesElsewhere,
                CompletionTokens = _completionTokens,
                RunningCoverage = _graded.Count == 0 ? 0 : (double)_solved.Count / _graded.Count,
                Elapsed = elapsed,
            };
        }
        _progress.Report(snapshot);
    }
}

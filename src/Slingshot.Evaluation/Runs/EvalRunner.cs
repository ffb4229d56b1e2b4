using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Runs;

/// <summary>
/// Draws k samples per problem of a task, commits each call's samples to the store, then grades them. The
/// store decides what is left to do: a resumed run draws only the samples it lacks (same seeds), a larger k
/// draws only the new indices, and samples stored but not yet graded are graded first.
/// </summary>
public sealed class EvalRunner
{
    private readonly IBenchmarkTask _task;
    private readonly EvalModel _model;
    private readonly RunStore _store;
    private readonly EvalOptions _options;

    /// <summary>Prepares a run; nothing is drawn until <see cref="RunAsync"/>.</summary>
    public EvalRunner(IBenchmarkTask task, EvalModel model, RunStore store, EvalOptions options)
    {
        _task = task ?? throw new ArgumentNullException(nameof(task));
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _options.Validate();
        Settings = new RunSettings
        {
            Model = model.ModelId,
            ModelFingerprint = model.Fingerprint,
            Task = task.Name,
            TaskVersion = task.Version,
            SamplesPerProblem = options.SamplesPerProblem,
            Temperature = options.Temperature,
            TopP = options.TopP,
            MaxTokens = options.MaxTokens ?? task.DefaultOptions.MaxOutputTokens ?? 256,
            Seed = options.Seed,
            Limit = options.Limit,
            ExtractsAnswers = task.Extractor is not null,
            Extra = options.Extra,
        };
        RunId = options.RunId ?? RunSettingsJson.DefaultRunId(Settings);
    }

    /// <summary>The run's id in the store.</summary>
    public string RunId { get; }

    /// <summary>The settings recorded with the run.</summary>
    public RunSettings Settings { get; }

    /// <summary>Where this runner's time went so far: generation calls, the store, grading.</summary>
    public EvalTimings Timings => new(
        TimeSpan.FromTicks(Interlocked.Read(ref _generationTicks)),
        TimeSpan.FromTicks(Interlocked.Read(ref _storeTicks)),
        TimeSpan.FromTicks(Interlocked.Read(ref _gradingTicks)));

    private long _generationTicks;
    private long _storeTicks;
    private long _gradingTicks;

    /// <summary>The problems this invocation covers: the first <see cref="EvalOptions.Limit"/>, then this shard's.</summary>
    public IReadOnlyList<(Problem Problem, int Ordinal)> SelectProblems()
    {
        var problems = _task.LoadProblems();
        var limit = Math.Min(_options.Limit ?? int.MaxValue, problems.Count);
        return problems.Take(limit).Select((p, i) => (p, i)).Where(x => _options.Shard.Contains(x.i)).ToList();
    }

    /// <summary>How long a claim on a call lasts unless renewed: the calls of a killed session are taken over this long after it died.</summary>
    internal TimeSpan ClaimLease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a session that waits for another session's calls looks at the store again.</summary>
    internal TimeSpan WaitInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Draws and grades what the run lacks, then summarizes the whole run. Another <c>eval</c> of the same run on the
    /// same store may work at the same time: each claims a call before drawing it and leaves the calls the other holds,
    /// then waits for those (taking them over if their session dies), so both end with the whole run and no sample is
    /// drawn twice.
    /// </summary>
    public async Task<RunSummary> RunAsync(IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var problems = SelectProblems();
        _store.EnsureRun(RunId, Settings, _model.Source.Info.Parameters);
        _store.AddProblems(RunId, problems.Select(p => (p.Problem.Id, p.Ordinal, PromptJson(p.Problem.Messages), p.Problem.Reference)));

        var byId = problems.ToDictionary(p => p.Problem.Id, p => p.Problem, StringComparer.Ordinal);
        var k = _options.SamplesPerProblem;
        var session = new DrawingSession(Guid.NewGuid().ToString("N"));
        var tracker = new ProgressTracker(problems.Count, k, byId.Keys, progress);
        var heartbeat = new Timer(_ => RenewClaims(session), null, ClaimLease / 3, ClaimLease / 3);
        try
        {
            while (true)
            {
                // Calls another session holds on this invocation's problems and indices: left to it, and waited for.
                var elsewhere = _store.ClaimsOfOthers(RunId, session.Id, DateTimeOffset.UtcNow)
                    .Where(c => byId.ContainsKey(c.ProblemId) && c.First < k).ToList();
                session.Active.Start();
                await GradeUngradedAsync(byId, elsewhere, session, cancellationToken).ConfigureAwait(false);
                var stored = _store.StoredIndices(RunId);
                var work = PlanCalls(problems.Select(p => p.Problem), stored, k, ChunkSize(k));
                tracker.Refresh(stored, _store.SolvedProblems(RunId), elsewhere.Sum(c => c.Count), session.Active.Elapsed);
                if (work.Count == 0 && elsewhere.Count == 0)
                {
                    break;
                }
                var mine = work.Where(c => !elsewhere.Any(o => o.Overlaps(c.ProblemId, c.First, c.Count))).ToList();
                var (drawn, deferred) = await DrawRoundAsync(mine, byId, session, tracker, cancellationToken).ConfigureAwait(false);
                session.Active.Stop();
                if (deferred == 0 && elsewhere.Count == 0)
                {
                    break; // every call planned was drawn here (a generator that returns fewer samples leaves gaps, as ever)
                }
                if (drawn == 0)
                {
                    await Task.Delay(WaitInterval, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            session.Active.Stop();
            await heartbeat.DisposeAsync().ConfigureAwait(false);
            _store.ReleaseClaims(session.Id);
        }
        return RunSummaries.Load(_store, RunId);
    }

    /// <summary>Draws, stores and grades the calls, each once claimed; returns how many were done here and how many another session had.</summary>
    private async Task<(int Drawn, int Deferred)> DrawRoundAsync(IReadOnlyList<PlannedCall> calls, IReadOnlyDictionary<string, Problem> byId,
        DrawingSession session, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var drawn = 0;
        var deferred = 0;
        await Parallel.ForEachAsync(calls, new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, _model.MaxConcurrentCalls),
            CancellationToken = cancellationToken,
        }, async (call, ct) =>
        {
            if (!_store.TryClaim(RunId, session.Id, call.ProblemId, call.First, call.Count, DateTimeOffset.UtcNow, ClaimLease))
            {
                Interlocked.Increment(ref deferred);
                return;
            }
            try
            {
                var problem = byId[call.ProblemId];
                if (await DrawAsync(problem, call.First, call.Count, ct).ConfigureAwait(false) is not { } stored)
                {
                    Interlocked.Increment(ref deferred); // a session whose claim had lapsed stored them first
                    return;
                }
                RecordWallTime(session);
                var grades = await GradeAsync(problem, stored.Samples, ct).ConfigureAwait(false);
                RecordWallTime(session);
                Interlocked.Increment(ref drawn);
                tracker.Completed(call, stored.Samples, stored.CompletionTokens, grades, session.Active.Elapsed);
            }
            finally
            {
                _store.ReleaseClaim(RunId, session.Id, call.ProblemId, call.First);
            }
        }).ConfigureAwait(false);
        return (drawn, deferred);
    }

    /// <summary>
    /// The run's wall time is the sum over sessions of the time each worked up to its last commit: a session that
    /// commits nothing adds nothing, and time spent waiting for another session's calls is not counted.
    /// </summary>
    private void RecordWallTime(DrawingSession session) => _store.SetSessionWallTime(RunId, session.Id, session.Active.Elapsed.TotalSeconds);

    private void RenewClaims(DrawingSession session)
    {
        try
        {
            _store.RenewClaims(session.Id, DateTimeOffset.UtcNow, ClaimLease);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // A missed renewal only shortens the lease; the next one (or the end of the session) settles it.
        }
    }

    /// <summary>One invocation's identity in the store and the time it has worked.</summary>
    private sealed record DrawingSession(string Id)
    {
        public Stopwatch Active { get; } = new();
    }

    private int ChunkSize(int k) => Math.Clamp(Math.Min(k, _model.MaxSamplesPerCall), 1, Math.Max(1, _model.MaxSamplesPerCall));

    /// <summary>The calls that fill every problem's missing indices below k, in problem order, at most <paramref name="chunk"/> samples each.</summary>
    internal static List<PlannedCall> PlanCalls(IEnumerable<Problem> problems, IReadOnlyDictionary<string, HashSet<int>> stored, int k, int chunk)
    {
        var calls = new List<PlannedCall>();
        foreach (var problem in problems)
        {
            var have = stored.TryGetValue(problem.Id, out var set) ? set : [];
            var index = 0;
            while (index < k)
            {
                if (have.Contains(index))
                {
                    index++;
                    continue;
                }
                var first = index;
                while (index < k && !have.Contains(index) && index - first < chunk)
                {
                    index++;
                }
                calls.Add(new PlannedCall(problem.Id, first, index - first));
            }
        }
        return calls;
    }

    /// <summary>Draws one call and stores it; null when a session whose claim had lapsed stored it first.</summary>
    private async Task<(IReadOnlyList<StoredSample> Samples, long CompletionTokens)?> DrawAsync(Problem problem, int first, int count, CancellationToken ct)
    {
        var chatOptions = _task.DefaultOptions.Clone();
        chatOptions.Temperature = (float)Settings.Temperature;
        chatOptions.TopP = (float)Settings.TopP;
        chatOptions.MaxOutputTokens = Settings.MaxTokens;
        chatOptions.Seed = SampleSeeds.ProblemSeed(Settings.Seed, problem.Id) + first;

        var clock = Stopwatch.StartNew();
        var request = SampleRequest.Chat(problem.Messages, count, chatOptions, _options.Logprobs ? 0 : null);
        var result = await _model.Source.SampleAsync(request, ct).ConfigureAwait(false);
        var latency = clock.Elapsed.TotalMilliseconds;
        Interlocked.Add(ref _generationTicks, clock.Elapsed.Ticks);
        var storing = Stopwatch.StartNew();
        var samples = result.Samples.Select(s => new StoredSample
        {
            ProblemId = problem.Id,
            Index = first + s.Index,
            Seed = s.Seed,
            Text = s.Text,
            Tokens = s.Tokens,
            // What the source reported for this sample; null where it could not attribute tokens to one sample.
            CompletionTokens = s.Usage?.CompletionTokens,
            MeanLogprob = s.MeanLogprob,
            FinishReason = s.FinishReason.ToString().ToLowerInvariant(),
            LatencyMs = latency,
        }).ToList();
        var draw = new StoredDraw(problem.Id, first, count, result.Usage.PromptTokens, result.Usage.CompletionTokens, latency,
            _model.Price.Cost(result.Usage));
        var added = _store.TryAddDraw(RunId, draw, samples);
        Interlocked.Add(ref _storeTicks, storing.Elapsed.Ticks);
        return added ? (samples, result.Usage.CompletionTokens) : null;
    }

    private async Task<IReadOnlyList<Grade>> GradeAsync(Problem problem, IReadOnlyList<StoredSample> samples, CancellationToken ct)
    {
        var grading = Stopwatch.StartNew();
        var grades = new Grade[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            grades[i] = await _task.GradeAsync(problem, samples[i].Text, ct).ConfigureAwait(false);
        }
        Interlocked.Add(ref _gradingTicks, grading.Elapsed.Ticks);
        var storing = Stopwatch.StartNew();
        _store.SetGrades(RunId, samples.Select((s, i) => (s.ProblemId, s.Index, grades[i].Answer, grades[i].Correct, grades[i].Reason, _task.Version)));
        Interlocked.Add(ref _storeTicks, storing.Elapsed.Ticks);
        return grades;
    }

    /// <summary>Grades stored samples that have no verdict yet (a session stopped between storing and grading), except those another session is still on.</summary>
    private async Task GradeUngradedAsync(IReadOnlyDictionary<string, Problem> problems, IReadOnlyList<ClaimedRange> elsewhere,
        DrawingSession session, CancellationToken ct)
    {
        var ungraded = _store.GetSamples(RunId, ungradedOnly: true)
            .Where(s => problems.ContainsKey(s.ProblemId) && !elsewhere.Any(c => c.Overlaps(s.ProblemId, s.Index, 1)));
        foreach (var group in ungraded.GroupBy(s => s.ProblemId))
        {
            await GradeAsync(problems[group.Key], group.ToList(), ct).ConfigureAwait(false);
            RecordWallTime(session);
        }
    }

    private static string PromptJson(IReadOnlyList<ChatMessage> messages) =>
        JsonSerializer.Serialize(messages.Select(m => new { role = m.Role.Value, content = m.Text }));
}

/// <summary>Time a run spent in each phase, summed over calls (calls overlap, so the sum can exceed wall time).</summary>
/// <param name="Generation">Waiting for the generator's calls.</param>
/// <param name="Store">Committing samples and grades.</param>
/// <param name="Grading">Extracting answers and running verifiers (the sandbox for code).</param>
public sealed record EvalTimings(TimeSpan Generation, TimeSpan Store, TimeSpan Grading)
{
    /// <summary>Store and grading time as a share of generation time.</summary>
    public double HarnessShare => Generation > TimeSpan.Zero ? (Store + Grading) / Generation : 0;
}

/// <summary>One generator call the runner plans: samples First..First+Count-1 of a problem.</summary>
internal sealed record PlannedCall(string ProblemId, int First, int Count);

using System.Runtime.InteropServices;

namespace Slingshot.Evaluation.Store;

public sealed partial class RunStore
{
    /// <summary>Commits one call's samples and its usage in one transaction (all or none survive a crash).</summary>
    /// <exception cref="StoreException">A sample with the same index is already stored (it would be drawn twice).</exception>
    public void AddDraw(string runId, StoredDraw draw, IReadOnlyList<StoredSample> samples)
    {
        if (!TryAddDraw(runId, draw, samples))
        {
            throw new StoreException($"Run '{runId}', problem '{draw.ProblemId}': a sample at index {draw.FirstSample}..{draw.FirstSample + samples.Count - 1} is already stored.");
        }
    }

    /// <summary>
    /// Commits one call's samples and its usage in one transaction, or nothing when any of its indices is already stored
    /// (another session drew them first: the call is dropped whole rather than counted twice).
    /// </summary>
    internal bool TryAddDraw(string runId, StoredDraw draw, IReadOnlyList<StoredSample> samples)
    {
        ArgumentNullException.ThrowIfNull(draw);
        ArgumentNullException.ThrowIfNull(samples);
        lock (_gate)
        {
            // IMMEDIATE: no other process can store these indices between the check and the insert.
            using var transaction = _connection.BeginTransaction();
            var present = Scalar("SELECT 1 FROM draws WHERE run_id = $r AND problem_id = $p AND first_sample = $f",
                    ("$r", runId), ("$p", draw.ProblemId), ("$f", draw.FirstSample)) is not null
                || samples.Any(s => Scalar("SELECT 1 FROM samples WHERE run_id = $r AND problem_id = $p AND sample_index = $i",
                    ("$r", runId), ("$p", s.ProblemId), ("$i", s.Index)) is not null);
            if (present)
            {
                return false;
            }
            Execute("""
                INSERT INTO draws (run_id, problem_id, first_sample, sample_count, prompt_tokens, completion_tokens, latency_ms, cost_usd)
                VALUES ($r, $p, $f, $n, $pt, $ct, $l, $c)
                """, ("$r", runId), ("$p", draw.ProblemId), ("$f", draw.FirstSample), ("$n", draw.SampleCount),
                ("$pt", draw.PromptTokens), ("$ct", draw.CompletionTokens), ("$l", draw.LatencyMs), ("$c", draw.CostUsd));
            var now = DateTimeOffset.UtcNow.ToString("O");
            foreach (var sample in samples)
            {
                InsertSample(runId, sample, now);
            }
            transaction.Commit();
            return true;
        }
    }

    private void InsertSample(string runId, StoredSample sample, string createdAt, string verb = "INSERT")
    {
        Execute($"""
            {verb} INTO samples (run_id, problem_id, sample_index, seed, text, tokens, completion_tokens, mean_logprob, finish_reason,
                latency_ms, created_at, answer, correct, reason, graded_with)
            VALUES ($r, $p, $i, $seed, $text, $tokens, $ct, $lp, $fr, $l, $at, $a, $ok, $why, $g)
            """, ("$r", runId), ("$p", sample.ProblemId), ("$i", sample.Index), ("$seed", sample.Seed), ("$text", sample.Text),
            ("$tokens", sample.Tokens is { } t ? MemoryMarshal.AsBytes(t.ToArray().AsSpan()).ToArray() : null),
            ("$ct", sample.CompletionTokens), ("$lp", sample.MeanLogprob), ("$fr", sample.FinishReason), ("$l", sample.LatencyMs),
            ("$at", createdAt), ("$a", sample.Answer), ("$ok", sample.Correct is { } ok ? (ok ? 1 : 0) : null), ("$why", sample.Reason),
            ("$g", sample.GradedWith));
    }

    /// <summary>Stores the grades of samples (overwriting earlier grades: re-grading needs no new samples).</summary>
    public void SetGrades(string runId, IEnumerable<(string ProblemId, int Index, string? Answer, bool Correct, string Reason, string GradedWith)> grades)
    {
        ArgumentNullException.ThrowIfNull(grades);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var (problemId, index, answer, correct, reason, gradedWith) in grades)
            {
                Execute("""
                    UPDATE samples SET answer = $a, correct = $ok, reason = $why, graded_with = $g
                    WHERE run_id = $r AND problem_id = $p AND sample_index = $i
                    """, ("$a", answer), ("$ok", correct ? 1 : 0), ("$why", reason), ("$g", gradedWith), ("$r", runId),
                    ("$p", problemId), ("$i", index));
            }
            transaction.Commit();
        }
    }

    /// <summary>Indices already stored per problem of a run.</summary>
    public IReadOnlyDictionary<string, HashSet<int>> StoredIndices(string runId)
    {
        lock (_gate)
        {
            using var command = Command("SELECT problem_id, sample_index FROM samples WHERE run_id = $r", ("$r", runId));
            using var reader = command.ExecuteReader();
            var indices = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var problem = reader.GetString(0);
                if (!indices.TryGetValue(problem, out var set))
                {
                    indices[problem] = set = [];
                }
                set.Add(reader.GetInt32(1));
            }
            return indices;
        }
    }

    /// <summary>The problems of a run with at least one graded sample, and whether any of their samples is correct.</summary>
    internal IReadOnlyDictionary<string, bool> SolvedProblems(string runId)
    {
        lock (_gate)
        {
            using var command = Command("SELECT problem_id, MAX(correct) FROM samples WHERE run_id = $r AND correct IS NOT NULL GROUP BY problem_id", ("$r", runId));
            using var reader = command.ExecuteReader();
            var problems = new Dictionary<string, bool>(StringComparer.Ordinal);
            while (reader.Read())
            {
                problems[reader.GetString(0)] = reader.GetInt32(1) != 0;
            }
            return problems;
        }
    }

    /// <summary>The samples of a run (optionally only ungraded ones, or only those below index <paramref name="maxIndex"/>), by problem ordinal and index.</summary>
    public IReadOnlyList<StoredSample> GetSamples(string runId, bool ungradedOnly = false, int? maxIndex = null)
    {
        lock (_gate)
        {
            using var command = Command($"""
                SELECT s.problem_id, s.sample_index, s.seed, s.text, s.tokens, s.completion_tokens, s.mean_logprob, s.finish_reason,
                       s.latency_ms, s.answer, s.correct, s.reason, s.graded_with
                FROM samples s LEFT JOIN problems p ON p.run_id = s.run_id AND p.problem_id = s.problem_id
                WHERE s.run_id = $r {(ungradedOnly ? "AND s.correct IS NULL" : "")} {(maxIndex is null ? "" : "AND s.sample_index < $max")}
                ORDER BY p.ordinal, s.problem_id, s.sample_index
                """, ("$r", runId), ("$max", maxIndex));
            using var reader = command.ExecuteReader();
            var samples = new List<StoredSample>();
            while (reader.Read())
            {
                samples.Add(new StoredSample
                {
                    ProblemId = reader.GetString(0),
                    Index = reader.GetInt32(1),
                    Seed = reader.IsDBNull(2) ? null : reader.GetInt64(2),
                    Text = reader.GetString(3),
                    Tokens = reader.IsDBNull(4) ? null : MemoryMarshal.Cast<byte, int>(((byte[])reader.GetValue(4)).AsSpan()).ToArray(),
                    CompletionTokens = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                    MeanLogprob = reader.IsDBNull(6) ? null : reader.GetDouble(6),
                    FinishReason = reader.IsDBNull(7) ? null : reader.GetString(7),
                    LatencyMs = reader.GetDouble(8),
                    Answer = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Correct = reader.IsDBNull(10) ? null : reader.GetInt32(10) != 0,
                    Reason = reader.IsDBNull(11) ? null : reader.GetString(11),
                    GradedWith = reader.IsDBNull(12) ? null : reader.GetString(12),
                });
            }
            return samples;
        }
    }

    /// <summary>The recorded problems of a run: id, ordinal, prompt (JSON of the chat messages) and reference.</summary>
    public IReadOnlyList<(string ProblemId, int Ordinal, string PromptJson, string? Reference)> GetProblems(string runId)
    {
        lock (_gate)
        {
            using var command = Command("SELECT problem_id, ordinal, prompt_json, reference FROM problems WHERE run_id = $r ORDER BY ordinal", ("$r", runId));
            using var reader = command.ExecuteReader();
            var problems = new List<(string, int, string, string?)>();
            while (reader.Read())
            {
                problems.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
            return problems;
        }
    }

    /// <summary>Token, price and latency totals of a run's calls.</summary>
    public (long PromptTokens, long CompletionTokens, double CostUsd, double LatencyMs) Totals(string runId)
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(cost_usd), 0), COALESCE(SUM(latency_ms), 0)
                FROM draws WHERE run_id = $r
                """, ("$r", runId));
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3));
        }
    }
}

namespace Slingshot.Evaluation.Store;

/// <summary>Samples First..First+Count-1 of a problem that a drawing session has claimed.</summary>
internal sealed record ClaimedRange(string ProblemId, int First, int Count)
{
    public bool Overlaps(string problemId, int first, int count) =>
        ProblemId == problemId && First < first + count && first < First + Count;
}

public sealed partial class RunStore
{
    // Claims let several `eval` processes of one run share a store: before a call is drawn its sample range is claimed
    // for the drawing session, and a range another session holds is left to it. A claim lapses at expires_at (Unix
    // seconds) unless its session renews it, so the ranges of a killed process are taken over after one lease.

    /// <summary>
    /// Claims samples <paramref name="first"/>..first+count-1 of a problem for <paramref name="sessionId"/> until
    /// <paramref name="now"/> + <paramref name="lease"/>. Refused when any of them is stored or another session holds an
    /// unexpired claim overlapping them.
    /// </summary>
    internal bool TryClaim(string runId, string sessionId, string problemId, int first, int count, DateTimeOffset now, TimeSpan lease)
    {
        lock (_gate)
        {
            // IMMEDIATE: the check and the claim are one step for every process.
            using var transaction = _connection.BeginTransaction();
            Execute("DELETE FROM claims WHERE run_id = $r AND expires_at <= $now", ("$r", runId), ("$now", Seconds(now)));
            var taken = Scalar("""
                SELECT 1 WHERE EXISTS (
                    SELECT 1 FROM claims WHERE run_id = $r AND problem_id = $p AND session_id <> $s
                      AND first_sample < $first + $count AND $first < first_sample + sample_count)
                  OR EXISTS (
                    SELECT 1 FROM samples WHERE run_id = $r AND problem_id = $p AND sample_index >= $first AND sample_index < $first + $count)
                """, ("$r", runId), ("$p", problemId), ("$s", sessionId), ("$first", first), ("$count", count)) is not null;
            if (taken)
            {
                return false;
            }
            Execute("""
                INSERT OR REPLACE INTO claims (run_id, problem_id, first_sample, sample_count, session_id, expires_at)
                VALUES ($r, $p, $first, $count, $s, $until)
                """, ("$r", runId), ("$p", problemId), ("$first", first), ("$count", count), ("$s", sessionId), ("$until", Seconds(now + lease)));
            transaction.Commit();
            return true;
        }
    }

    /// <summary>Extends every claim of <paramref name="sessionId"/> to <paramref name="now"/> + <paramref name="lease"/> (the session is alive).</summary>
    internal void RenewClaims(string sessionId, DateTimeOffset now, TimeSpan lease)
    {
        lock (_gate)
        {
            Execute("UPDATE claims SET expires_at = $until WHERE session_id = $s", ("$until", Seconds(now + lease)), ("$s", sessionId));
        }
    }

    /// <summary>Gives up the claim of one call (drawn and graded, or dropped).</summary>
    internal void ReleaseClaim(string runId, string sessionId, string problemId, int first)
    {
        lock (_gate)
        {
            Execute("DELETE FROM claims WHERE run_id = $r AND session_id = $s AND problem_id = $p AND first_sample = $first",
                ("$r", runId), ("$s", sessionId), ("$p", problemId), ("$first", first));
        }
    }

    /// <summary>Gives up every claim of a session (it ends).</summary>
    internal void ReleaseClaims(string sessionId)
    {
        lock (_gate)
        {
            Execute("DELETE FROM claims WHERE session_id = $s", ("$s", sessionId));
        }
    }

    /// <summary>The unexpired claims other sessions hold on a run: ranges being drawn or graded elsewhere right now.</summary>
    internal IReadOnlyList<ClaimedRange> ClaimsOfOthers(string runId, string sessionId, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT problem_id, first_sample, sample_count FROM claims WHERE run_id = $r AND session_id <> $s AND expires_at > $now
                """, ("$r", runId), ("$s", sessionId), ("$now", Seconds(now)));
            using var reader = command.ExecuteReader();
            var claims = new List<ClaimedRange>();
            while (reader.Read())
            {
                claims.Add(new ClaimedRange(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
            }
            return claims;
        }
    }

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}

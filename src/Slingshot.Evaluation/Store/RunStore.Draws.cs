namespace Slingshot.Evaluation.Store;

public sealed partial class RunStore
{
    /// <summary>The generator calls of a run, by problem and first sample (per-problem tokens, latency and price).</summary>
    public IReadOnlyList<StoredDraw> GetDraws(string runId)
    {
        lock (_gate)
        {
            using var command = Command("""
                SELECT problem_id, first_sample, sample_count, prompt_tokens, completion_tokens, latency_ms, cost_usd
                FROM draws WHERE run_id = $r ORDER BY problem_id, first_sample
                """, ("$r", runId));
            using var reader = command.ExecuteReader();
            var draws = new List<StoredDraw>();
            while (reader.Read())
            {
                draws.Add(new StoredDraw(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                    reader.GetDouble(5), reader.GetDouble(6)));
            }
            return draws;
        }
    }
}

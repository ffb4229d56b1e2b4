using Microsoft.Data.Sqlite;
using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Store;

/// <summary>What a merge added.</summary>
/// <param name="Runs">Runs in the source store.</param>
/// <param name="SamplesAdded">Samples copied.</param>
/// <param name="SamplesPresent">Samples the destination already held (identical).</param>
public sealed record MergeResult(int Runs, int SamplesAdded, int SamplesPresent);

public sealed partial class RunStore
{
    /// <summary>
    /// Copies every run, problem, call and sample of another store into this one: shards of one run drawn on
    /// several machines (<c>--shard i/N</c>) become the unsharded run. Runs present in both must have the same
    /// settings, and a sample present in both must have the same text; otherwise nothing is copied.
    /// </summary>
    /// <exception cref="StoreException">The source is missing, is this store, or contradicts it.</exception>
    public MergeResult MergeFrom(string sourcePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourcePath);
        var source = System.IO.Path.GetFullPath(sourcePath);
        if (!File.Exists(source))
        {
            throw new StoreException($"Store '{sourcePath}' does not exist.");
        }
        if (string.Equals(source, Path, StringComparison.Ordinal))
        {
            throw new StoreException($"Cannot merge store '{sourcePath}' into itself.");
        }
        // Let the source's own WAL be checkpointed and its schema checked the normal way first.
        List<StoredRun> sourceRuns;
        using (var sourceStore = Open(source, readOnly: true))
        {
            sourceRuns = sourceStore.ListRuns().ToList();
        }

        lock (_gate)
        {
            try
            {
                Execute("ATTACH DATABASE $path AS src", ("$path", source));
            }
            catch (SqliteException ex)
            {
                throw new StoreException($"Cannot read store '{sourcePath}': {ex.Message.Split('\n')[0]}", ex);
            }
            try
            {
                using var transaction = _connection.BeginTransaction();
                foreach (var run in sourceRuns)
                {
                    if (ReadRun(run.RunId) is { } existing && RunSettingsJson.IdentityDifference(
                            RunSettingsJson.Deserialize(existing.SettingsJson), RunSettingsJson.Deserialize(run.SettingsJson)) is { } difference)
                    {
                        throw new StoreException($"Run '{run.RunId}' differs between the stores: {difference}.");
                    }
                }
                var conflicts = Count("""
                    SELECT COUNT(*) FROM src.samples s JOIN samples d
                      ON d.run_id = s.run_id AND d.problem_id = s.problem_id AND d.sample_index = s.sample_index
                    WHERE d.text <> s.text
                    """);
                if (conflicts > 0)
                {
                    throw new StoreException($"{conflicts} samples have the same run, problem and index but different text in the two stores; were they drawn with different settings?");
                }
                var before = Count("SELECT COUNT(*) FROM samples");
                var incoming = Count("SELECT COUNT(*) FROM src.samples");
                Execute("""
                    INSERT OR IGNORE INTO runs (run_id, created_at, model, task, task_version, settings_json, parameters)
                    SELECT run_id, created_at, model, task, task_version, settings_json, parameters FROM src.runs
                    """);
                MergeRecordedLimits(sourceRuns);
                Execute("INSERT OR IGNORE INTO problems SELECT * FROM src.problems");
                // Sessions are keyed by id, so a store merged twice (or merged back after being extended elsewhere)
                // adds each session's wall time once.
                Execute("INSERT OR IGNORE INTO sessions SELECT * FROM src.sessions");
                // A call whose samples are already here was paid for by a call already here: copying it would count
                // its tokens twice. Checked before the samples are copied.
                Execute("""
                    INSERT OR IGNORE INTO draws SELECT * FROM src.draws d WHERE NOT EXISTS (
                        SELECT 1 FROM samples s WHERE s.run_id = d.run_id AND s.problem_id = d.problem_id
                          AND s.sample_index >= d.first_sample AND s.sample_index < d.first_sample + d.sample_count)
                    """);
                Execute("INSERT OR IGNORE INTO samples SELECT * FROM src.samples");
                var added = Count("SELECT COUNT(*) FROM samples") - before;
                transaction.Commit();
                return new MergeResult(sourceRuns.Count, added, incoming - added);
            }
            catch (SqliteException ex)
            {
                throw new StoreException($"Merging '{sourcePath}' failed: {ex.Message.Split('\n')[0]}", ex);
            }
            finally
            {
                Execute("DETACH DATABASE src");
            }
        }
    }

    private void MergeRecordedLimits(IEnumerable<StoredRun> sourceRuns)
    {
        foreach (var run in sourceRuns)
        {
            var mine = RunSettingsJson.Deserialize(ReadRun(run.RunId)!.SettingsJson);
            var theirs = RunSettingsJson.Deserialize(run.SettingsJson);
            RunSettings merged = mine with
            {
                SamplesPerProblem = Math.Max(mine.SamplesPerProblem, theirs.SamplesPerProblem),
                Limit = mine.Limit is null || theirs.Limit is null ? null : Math.Max(mine.Limit.Value, theirs.Limit.Value),
            };
            Execute("UPDATE runs SET settings_json = $s WHERE run_id = $r", ("$s", RunSettingsJson.Serialize(merged)), ("$r", run.RunId));
        }
    }

    private int Count(string sql) => Convert.ToInt32(Scalar(sql), System.Globalization.CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Store;

/// <summary>
/// The evaluation store: one SQLite file (WAL) holding runs, their problems, every drawn sample and the
/// calls that drew them. A sample is committed before it is graded, so a run killed at any moment resumes
/// without losing a committed sample or drawing one twice (the key run/problem/index forbids it). One
/// instance serializes its own access and may be shared by concurrent tasks.
/// </summary>
public sealed partial class RunStore : IDisposable
{
    private const int SchemaVersion = 1;
    private const string WallSeconds = "(SELECT COALESCE(SUM(wall_seconds), 0) FROM sessions WHERE sessions.run_id = runs.run_id)";
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private RunStore(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating it when missing (unless <paramref name="readOnly"/>).
    /// A SQLite file that is not a Slingshot store is refused and left untouched.
    /// </summary>
    /// <exception cref="StoreException">The file is missing (read-only), not a Slingshot store, or has a newer schema.</exception>
    public static RunStore Open(string path, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new StoreException($"Store path '{path}' is a directory; give a file such as runs.db.");
        }
        if (readOnly && !File.Exists(full))
        {
            throw new StoreException($"Store '{path}' does not exist (run 'slingshot eval' first, or pass the store's path).");
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Pooling = false,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        }.ToString());
        try
        {
            connection.Open();
            var store = new RunStore(full, connection);
            store.Initialize(readOnly);
            return store;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new StoreException($"'{path}' is not a usable store: {ex.Message.Split('\n')[0]}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Initialize(bool readOnly)
    {
        Execute("PRAGMA busy_timeout=5000;");
        var tables = Convert.ToInt32(Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"), CultureInfo.InvariantCulture);
        var isStore = Convert.ToInt32(Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"), CultureInfo.InvariantCulture) == 1
            && Scalar("SELECT value FROM meta WHERE key = 'store_id'") is not null;
        if (tables > 0 && !isStore)
        {
            throw new StoreException($"'{Path}' is a SQLite database but not a Slingshot store; choose another file (it was left untouched).");
        }
        if (readOnly)
        {
            if (!isStore)
            {
                throw new StoreException($"'{Path}' is empty, not a Slingshot store.");
            }
            CheckSchemaVersion();
            return;
        }
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        Execute("""
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs (
                run_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, model TEXT NOT NULL, task TEXT NOT NULL,
                task_version TEXT NOT NULL, settings_json TEXT NOT NULL, parameters INTEGER);
            CREATE TABLE IF NOT EXISTS sessions (
                run_id TEXT NOT NULL REFERENCES runs(run_id), session_id TEXT NOT NULL, wall_seconds REAL NOT NULL,
                PRIMARY KEY (run_id, session_id));
            CREATE TABLE IF NOT EXISTS problems (
                run_id TEXT NOT NULL REFERENCES runs(run_id), problem_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
                prompt_json TEXT NOT NULL, reference TEXT, PRIMARY KEY (run_id, problem_id));
            CREATE TABLE IF NOT EXISTS draws (
                run_id TEXT NOT NULL REFERENCES runs(run_id), problem_id TEXT NOT NULL, first_sample INTEGER NOT NULL,
                sample_count INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
                latency_ms REAL NOT NULL, cost_usd REAL NOT NULL, PRIMARY KEY (run_id, problem_id, first_sample));
            CREATE TABLE IF NOT EXISTS samples (
                run_id TEXT NOT NULL REFERENCES runs(run_id), problem_id TEXT NOT NULL, sample_index INTEGER NOT NULL,
                seed INTEGER, text TEXT NOT NULL, tokens BLOB, completion_tokens INTEGER NOT NULL, mean_logprob REAL,
                finish_reason TEXT, latency_ms REAL NOT NULL, created_at TEXT NOT NULL,
                answer TEXT, correct INTEGER, reason TEXT, graded_with TEXT,
                PRIMARY KEY (run_id, problem_id, sample_index));
            """);
        if (!isStore)
        {
            Execute($"INSERT INTO meta (key, value) VALUES ('schema', '{SchemaVersion}')");
            Execute("INSERT INTO meta (key, value) VALUES ('store_id', $id)", ("$id", Guid.NewGuid().ToString("N")));
        }
        CheckSchemaVersion();
    }

    private void CheckSchemaVersion()
    {
        var version = Scalar("SELECT value FROM meta WHERE key = 'schema'") as string;
        if (version is null || int.Parse(version, CultureInfo.InvariantCulture) > SchemaVersion)
        {
            throw new StoreException($"Store '{Path}' has schema {version ?? "(none)"}; this Slingshot reads schema {SchemaVersion} (upgrade Slingshot).");
        }
    }

    /// <summary>
    /// Returns the run <paramref name="runId"/>, creating it with <paramref name="settings"/> when new. An existing run
    /// must have been drawn with the same model, task version and sampling settings (sample count and limit may grow).
    /// </summary>
    public StoredRun EnsureRun(string runId, RunSettings settings, long? parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            if (ReadRun(runId) is { } existing)
            {
                var stored = RunSettingsJson.Deserialize(existing.SettingsJson);
                if (RunSettingsJson.IdentityDifference(stored, settings) is { } difference)
                {
                    throw new StoreException($"Run '{runId}' already exists with {difference}; use another --run name or the same settings.");
                }
                // Raising k or the limit extends the run: keep the larger values on record.
                var merged = stored with
                {
                    SamplesPerProblem = Math.Max(stored.SamplesPerProblem, settings.SamplesPerProblem),
                    Limit = stored.Limit is null || settings.Limit is null ? null : Math.Max(stored.Limit.Value, settings.Limit.Value),
                };
                Execute("UPDATE runs SET settings_json = $s WHERE run_id = $r", ("$s", RunSettingsJson.Serialize(merged)), ("$r", runId));
                return ReadRun(runId)!;
            }
            Execute("""
                INSERT INTO runs (run_id, created_at, model, task, task_version, settings_json, parameters)
                VALUES ($r, $c, $m, $t, $v, $s, $p)
                """, ("$r", runId), ("$c", DateTimeOffset.UtcNow.ToString("O")), ("$m", settings.Model), ("$t", settings.Task),
                ("$v", settings.TaskVersion), ("$s", RunSettingsJson.Serialize(settings)), ("$p", (object?)parameters ?? DBNull.Value));
            return ReadRun(runId)!;
        }
    }

    /// <summary>The run, or null.</summary>
    public StoredRun? GetRun(string runId)
    {
        lock (_gate)
        {
            return ReadRun(runId);
        }
    }

    /// <summary>All runs, oldest first.</summary>
    public IReadOnlyList<StoredRun> ListRuns()
    {
        lock (_gate)
        {
            using var command = Command("SELECT run_id, settings_json, created_at, parameters, " + WallSeconds + " FROM runs ORDER BY created_at, run_id");
            using var reader = command.ExecuteReader();
            var runs = new List<StoredRun>();
            while (reader.Read())
            {
                runs.Add(ReadRun(reader));
            }
            return runs;
        }
    }

    /// <summary>Records the problems of a run (prompt and reference), keeping any already recorded.</summary>
    public void AddProblems(string runId, IEnumerable<(string ProblemId, int Ordinal, string PromptJson, string? Reference)> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var (problemId, ordinal, prompt, reference) in problems)
            {
                Execute("""
                    INSERT OR IGNORE INTO problems (run_id, problem_id, ordinal, prompt_json, reference) VALUES ($r, $p, $o, $j, $ref)
                    """, ("$r", runId), ("$p", problemId), ("$o", ordinal), ("$j", prompt), ("$ref", (object?)reference ?? DBNull.Value));
            }
            transaction.Commit();
        }
    }

    /// <summary>
    /// Records the wall time a drawing session (one <c>eval</c> invocation, id chosen by the caller) has spent on
    /// the run so far; the run's wall time is the sum over its sessions, so merging a store twice counts nothing twice.
    /// </summary>
    public void SetSessionWallTime(string runId, string sessionId, double seconds)
    {
        lock (_gate)
        {
            Execute("""
                INSERT INTO sessions (run_id, session_id, wall_seconds) VALUES ($r, $s, $w)
                ON CONFLICT (run_id, session_id) DO UPDATE SET wall_seconds = excluded.wall_seconds
                """, ("$r", runId), ("$s", sessionId), ("$w", seconds));
        }
    }

    /// <summary>Records that a run's samples are now graded by <paramref name="taskVersion"/> (after re-grading), so extending it draws with that version.</summary>
    public void SetTaskVersion(string runId, string taskVersion)
    {
        lock (_gate)
        {
            var run = ReadRun(runId) ?? throw new StoreException($"No run '{runId}' in '{Path}'.");
            var settings = RunSettingsJson.Deserialize(run.SettingsJson) with { TaskVersion = taskVersion };
            Execute("UPDATE runs SET task_version = $v, settings_json = $s WHERE run_id = $r",
                ("$v", taskVersion), ("$s", RunSettingsJson.Serialize(settings)), ("$r", runId));
        }
    }

    /// <summary>Deletes a run and everything drawn for it.</summary>
    public bool DeleteRun(string runId)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var table in new[] { "samples", "draws", "problems", "sessions" })
            {
                Execute($"DELETE FROM {table} WHERE run_id = $r", ("$r", runId));
            }
            var deleted = Execute("DELETE FROM runs WHERE run_id = $r", ("$r", runId)) > 0;
            transaction.Commit();
            return deleted;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private StoredRun? ReadRun(string runId)
    {
        using var command = Command("SELECT run_id, settings_json, created_at, parameters, " + WallSeconds + " FROM runs WHERE run_id = $r", ("$r", runId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRun(reader) : null;
    }

    private static StoredRun ReadRun(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture),
        reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetDouble(4));

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }
}

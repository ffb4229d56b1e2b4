using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Slingshot.Evaluation.Metrics;

namespace Slingshot.Evaluation.Store;

/// <summary>
/// The evaluation store: one SQLite file (WAL) holding runs, their problems, every drawn sample and the
/// calls that drew them. A sample is committed before it is graded, so a run killed at any moment resumes
/// without losing a committed sample or drawing one twice (the key run/problem/index forbids it). One
/// instance serializes its own access and may be shared by concurrent tasks; several processes may share the
/// file (each check-then-write is one IMMEDIATE transaction, and a writer waits for another's instead of failing).
/// </summary>
public sealed partial class RunStore : IDisposable
{
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
    /// A SQLite file that is not a Slingshot store is refused and left untouched. Opening read-only writes nothing to
    /// the store and works in a read-only folder.
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
        if (!readOnly)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        }
        try
        {
            return Connect(full, full, readOnly);
        }
        catch (SqliteException ex) when (readOnly && ex.SqliteErrorCode is SqliteReadOnly or SqliteCantOpen)
        {
            // A WAL reader needs the -shm index beside the file and creates it when missing; in a read-only folder it
            // cannot. Without a -wal file (or with an empty one) every commit is in the main file, which is then read
            // as immutable: no -shm, no locks, nothing written.
            var wal = new FileInfo(full + "-wal");
            if (wal.Exists && wal.Length > 0)
            {
                throw new StoreException($"Store '{path}' cannot be read here: its folder is read-only and its write-ahead log ({wal.Name}) holds " +
                    "commits that SQLite replays only where it may write; open it once in a writable folder (or copy the .db and .db-wal files to one).", ex);
            }
            try
            {
                return Connect(full, ImmutableUri(full), readOnly: true);
            }
            catch (SqliteException inner)
            {
                throw Unusable(path, inner);
            }
        }
        catch (SqliteException ex)
        {
            throw Unusable(path, ex);
        }
    }

    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;

    private static RunStore Connect(string full, string dataSource, bool readOnly)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = dataSource,
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
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The file as a SQLite URI that opens it immutable (each path segment percent-escaped).</summary>
    private static string ImmutableUri(string full)
    {
        var path = string.Join('/', full.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
        return "file://" + (path.StartsWith('/') ? "" : "/") + path + "?immutable=1";
    }

    private static StoreException Unusable(string path, SqliteException ex) =>
        new($"'{path}' is not a usable store: {ex.Message.Split('\n')[0]}", ex);

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
            // IMMEDIATE: reading and creating the run is one step for every process sharing the store.
            using var transaction = _connection.BeginTransaction();
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
                transaction.Commit();
                return ReadRun(runId)!;
            }
            Execute("""
                INSERT INTO runs (run_id, created_at, model, task, task_version, settings_json, parameters)
                VALUES ($r, $c, $m, $t, $v, $s, $p)
                """, ("$r", runId), ("$c", DateTimeOffset.UtcNow.ToString("O")), ("$m", settings.Model), ("$t", settings.Task),
                ("$v", settings.TaskVersion), ("$s", RunSettingsJson.Serialize(settings)), ("$p", (object?)parameters ?? DBNull.Value));
            transaction.Commit();
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

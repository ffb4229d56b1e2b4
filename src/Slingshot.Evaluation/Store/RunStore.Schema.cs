using System.Globalization;

namespace Slingshot.Evaluation.Store;

public sealed partial class RunStore
{
    /// <summary>
    /// 2: a sample's completion tokens may be null (a source that cannot attribute tokens to one sample). Version 1 stores
    /// are read as they are and upgraded when opened for writing; older Slingshots refuse version 2 instead of misreading it.
    /// </summary>
    private const int SchemaVersion = 2;

    /// <summary>
    /// Every table of a store. <c>claims</c> came later without a new schema version: older versions never read it,
    /// and opening an older store for writing adds it.
    /// </summary>
    private static readonly string[] StoreTables = ["meta", "runs", "sessions", "problems", "draws", "samples", "claims"];

    /// <summary>The samples table's columns (completion_tokens nullable since schema 2), in the order merges copy them.</summary>
    private const string SamplesColumns = """
            run_id TEXT NOT NULL REFERENCES runs(run_id), problem_id TEXT NOT NULL, sample_index INTEGER NOT NULL,
            seed INTEGER, text TEXT NOT NULL, tokens BLOB, completion_tokens INTEGER, mean_logprob REAL,
            finish_reason TEXT, latency_ms REAL NOT NULL, created_at TEXT NOT NULL,
            answer TEXT, correct INTEGER, reason TEXT, graded_with TEXT,
            PRIMARY KEY (run_id, problem_id, sample_index)
        """;

    private const string CreateTables = $"""
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
        CREATE TABLE IF NOT EXISTS samples ({SamplesColumns});
        CREATE TABLE IF NOT EXISTS claims (
            run_id TEXT NOT NULL, problem_id TEXT NOT NULL, first_sample INTEGER NOT NULL, sample_count INTEGER NOT NULL,
            session_id TEXT NOT NULL, expires_at REAL NOT NULL, PRIMARY KEY (run_id, problem_id, first_sample, session_id));
        """;

    private enum FileState
    {
        /// <summary>No tables: a new file.</summary>
        Empty,
        /// <summary>A Slingshot store (meta holds a store id).</summary>
        Store,
        /// <summary>Only empty Slingshot tables and no store id: a creation that was cut short (by an older version, which committed table by table).</summary>
        Unfinished,
        /// <summary>Anything else.</summary>
        Foreign,
    }

    private void Initialize(bool readOnly)
    {
        Execute("PRAGMA busy_timeout=5000;");
        if (readOnly)
        {
            switch (ReadFileState())
            {
                case FileState.Empty:
                    throw new StoreException($"'{Path}' is empty, not a Slingshot store.");
                case FileState.Unfinished:
                    throw new StoreException($"'{Path}' is not a Slingshot store yet: its creation was cut short ('slingshot eval' with this store finishes it).");
                case FileState.Foreign:
                    throw ForeignFile();
            }
            CheckSchemaVersion();
            return;
        }
        if (ReadFileState() == FileState.Foreign)
        {
            throw ForeignFile(); // before anything below touches it
        }
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        // One IMMEDIATE transaction: a store is created whole or not at all (a kill or a full disk leaves an empty file
        // the next open creates again), and a second process creating the same file waits here, then finds it finished.
        using var transaction = _connection.BeginTransaction();
        var state = ReadFileState();
        if (state == FileState.Foreign)
        {
            throw ForeignFile();
        }
        Execute(CreateTables);
        if (state != FileState.Store)
        {
            Execute($"INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', '{SchemaVersion}')");
            Execute("INSERT INTO meta (key, value) VALUES ('store_id', $id)", ("$id", Guid.NewGuid().ToString("N")));
        }
        CheckSchemaVersion();
        UpgradeFromVersion1();
        transaction.Commit();
    }

    /// <summary>
    /// Schema 1 had <c>samples.completion_tokens NOT NULL</c> (so does a creation an older version cut short). SQLite
    /// cannot drop a constraint in place, so the table is rebuilt with the same columns in the same order (every row
    /// copied as it is), inside the opening transaction.
    /// </summary>
    private void UpgradeFromVersion1()
    {
        if (Count("SELECT COUNT(*) FROM pragma_table_info('samples') WHERE name = 'completion_tokens' AND \"notnull\" = 1") == 0)
        {
            return;
        }
        Execute($"""
            CREATE TABLE samples_v2 ({SamplesColumns});
            INSERT INTO samples_v2 SELECT * FROM samples;
            DROP TABLE samples;
            ALTER TABLE samples_v2 RENAME TO samples;
            UPDATE meta SET value = '{SchemaVersion}' WHERE key = 'schema';
            """);
    }

    private FileState ReadFileState()
    {
        var tables = new List<string>();
        using (var command = Command("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite[_]%' ESCAPE '['"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        if (tables.Count == 0)
        {
            return FileState.Empty;
        }
        if (tables.Contains("meta") && Scalar("SELECT value FROM meta WHERE key = 'store_id'") is not null)
        {
            return FileState.Store;
        }
        // Adopt a file only when it holds nothing but our own tables, all empty (meta may hold the schema row that
        // older versions wrote before the store id): rows anywhere else mean someone else's data.
        var ours = tables.All(t => StoreTables.Contains(t, StringComparer.Ordinal));
        return ours && tables.Where(t => t != "meta").All(t => Scalar($"SELECT 1 FROM \"{t}\" LIMIT 1") is null)
            && (!tables.Contains("meta") || Count("SELECT COUNT(*) FROM meta WHERE key <> 'schema'") == 0)
            ? FileState.Unfinished
            : FileState.Foreign;
    }

    private StoreException ForeignFile() =>
        new($"'{Path}' is a SQLite database but not a Slingshot store; choose another file (it was left untouched).");

    private void CheckSchemaVersion()
    {
        var version = Scalar("SELECT value FROM meta WHERE key = 'schema'") as string;
        if (version is null || int.Parse(version, CultureInfo.InvariantCulture) > SchemaVersion)
        {
            throw new StoreException($"Store '{Path}' has schema {version ?? "(none)"}; this Slingshot reads schema {SchemaVersion} (upgrade Slingshot).");
        }
    }
}

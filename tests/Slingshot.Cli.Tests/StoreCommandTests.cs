using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Slingshot.Cli.Tests;

/// <summary>The store under stress: read-only folders, a creation cut short, two evaluations of one run at once.</summary>
public sealed class StoreCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-cli-store-").FullName;

    private static string[] Eval(string store, params string[] extra) =>
        ["eval", "--task", "gsm8k", "-m", CliRunner.Stories260K, "--threads", "1", "--store", store, .. extra];

    [ReadOnlyFolderFact]
    public void StoreListAndReport_StoreInAReadOnlyFolder_WorkAndChangeNothing()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "shelf")).FullName;
        var store = Path.Combine(folder, "runs.db");
        var eval = CliRunner.Run(Eval(store, "--limit", "2", "-k", "2", "--max-tokens", "4", "--run", "shelved"));
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var files = Directory.GetFiles(folder);
        var bytes = SHA256.HashData(File.ReadAllBytes(store));
        var written = File.GetLastWriteTimeUtc(store);

        using (var readOnly = new ReadOnlyFolder(folder))
        {
            Assert.False(readOnly.CanWrite(), "the folder is writable for the command, so this test would prove nothing");

            var list = CliRunner.Run(["store", "list", store, "--json"], launcher: readOnly.Launcher);
            Assert.True(list.ExitCode == 0, list.ToString());
            using var rows = JsonDocument.Parse(list.Stdout);
            Assert.Equal(4, rows.RootElement.EnumerateArray().Single(r => r.GetProperty("run").GetString() == "shelved").GetProperty("samples").GetInt32());

            var report = CliRunner.Run(["report", store], launcher: readOnly.Launcher);
            Assert.True(report.ExitCode == 0, report.ToString());
            Assert.Contains("shelved", report.Stdout);
        }

        Assert.Equal(files, Directory.GetFiles(folder));
        Assert.Equal(bytes, SHA256.HashData(File.ReadAllBytes(store)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(store));
    }

    [ReadOnlyFolderFact]
    public void StoreList_KilledWritersStoreInAReadOnlyFolder_ShowsEveryCommitOrSaysWhyNot()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "crashed")).FullName;
        var store = Path.Combine(folder, "runs.db");
        using (var process = CliRunner.Start(Eval(store, "--limit", "8", "-k", "4", "--max-tokens", "48", "--concurrency", "1")))
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (SamplesSoFar(store) < 4 && DateTime.UtcNow < deadline && !process.HasExited)
            {
                Thread.Sleep(50);
            }
            Assert.False(process.HasExited, "the run ended before it could be killed");
            process.Kill(); // SIGKILL: the commits stay in the -wal file, beside its -shm index
            process.WaitForExit();
        }
        var committed = Scalar(store, "SELECT COUNT(*) FROM samples");
        Assert.True(new FileInfo(store + "-wal").Length > 0);

        using var readOnly = new ReadOnlyFolder(folder);
        var list = CliRunner.Run(["store", "list", store, "--json"], launcher: readOnly.Launcher);
        Assert.True(list.ExitCode == 0, list.ToString());
        using (var rows = JsonDocument.Parse(list.Stdout))
        {
            Assert.Equal(committed, rows.RootElement[0].GetProperty("samples").GetInt32());
        }

        // Without the -shm index SQLite can replay the -wal only where it may write: a one-line reason, not a raw error.
        File.Delete(store + "-shm");
        var refused = CliRunner.Run(["store", "list", store], launcher: readOnly.Launcher);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("write-ahead log", refused.Stderr);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Eval_KilledWhileCreatingTheStore_TheNextRunFinishesIt()
    {
        var store = Path.Combine(_dir, "new.db");
        var args = Eval(store, "--limit", "1", "--max-tokens", "4");
        // A file-size limit kills the process (SIGXFSZ) at its first write past it, as a full disk or a kill would:
        // 40 KiB is above the 32 KiB WAL index (-shm) every open needs and below the ~60 KiB of WAL frames that creating
        // the store writes, so it strikes inside the creation. (.NET's W^X double mapping is off: its memory file counts too.)
        var interrupted = CliRunner.Run(args, environment: new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" },
            launcher: ["bash", "-c", "ulimit -c 0; ulimit -f 40; exec \"$0\" \"$@\""]);
        Assert.True(interrupted.ExitCode == 128 + 25, interrupted.ToString());
        var half = CliRunner.Run("store", "list", store);
        Assert.True(half.ExitCode == 1 && half.Stderr.Contains("not a Slingshot store"), $"the creation was not cut short: {half}");

        var next = CliRunner.Run(args);

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(1L, Scalar(store, "SELECT COUNT(*) FROM samples WHERE correct IS NOT NULL"));
    }

    [Fact]
    public void Eval_TwoProcessesOnANewStoreAtOnce_BothFinishAndNoSampleIsDrawnTwice()
    {
        var store = Path.Combine(_dir, "shared.db");
        var args = Eval(store, "--limit", "6", "-k", "4", "--max-tokens", "32", "--concurrency", "1", "--json");

        var results = new[] { CliRunner.Start(args), CliRunner.Start(args) }.Select(process =>
        {
            process.StandardInput.Close();
            return (Process: process, Stdout: process.StandardOutput.ReadToEndAsync(), Stderr: process.StandardError.ReadToEndAsync());
        }).ToList().Select(p =>
        {
            using var process = p.Process;
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "eval did not finish in 3 minutes");
            return new CliResult(process.ExitCode, p.Stdout.Result, p.Stderr.Result);
        }).ToList();

        Assert.All(results, r => Assert.True(r.ExitCode == 0 && !r.Stderr.Contains("slingshot:"), r.ToString()));
        Assert.Equal(24L, Scalar(store, "SELECT COUNT(*) FROM samples WHERE correct IS NOT NULL"));
        Assert.Equal(24L, Scalar(store, "SELECT SUM(sample_count) FROM draws"));
        var completion = Scalar(store, "SELECT SUM(completion_tokens) FROM draws");
        foreach (var result in results)
        {
            // Each waited for the other's calls, so each printed the whole run.
            using var summary = JsonDocument.Parse(result.Stdout);
            Assert.Equal(6, summary.RootElement.GetProperty("problems").GetInt32());
            Assert.Equal(completion, summary.RootElement.GetProperty("cost").GetProperty("completionTokens").GetInt64());
        }
    }

    [Fact]
    public void StoreDelete_MissingStore_OneLineErrorAndCreatesNothing()
    {
        var store = Path.Combine(_dir, "typo.db");

        var result = CliRunner.Run("store", "delete", store, "some-run");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    /// <summary>Samples committed so far, 0 while the store is still being created.</summary>
    private static long SamplesSoFar(string store)
    {
        try
        {
            return File.Exists(store) ? Scalar(store, "SELECT COUNT(*) FROM samples") : 0;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    private static long Scalar(string store, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

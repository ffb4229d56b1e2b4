using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Tests.Store;

public sealed class RunStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-store-").FullName;

    private static readonly RunSettings Settings = new() { Model = "m", Task = "t", TaskVersion = "t@1", SamplesPerProblem = 2, Temperature = 0.6, MaxTokens = 16, Seed = 1 };

    private string DbPath(string name = "runs.db") => Path.Combine(_dir, name);

    private static StoredSample Sample(string problem, int index, string text = "x") =>
        new() { ProblemId = problem, Index = index, Text = text, Tokens = [1, 2, 3], CompletionTokens = 3, MeanLogprob = -0.5, FinishReason = "stop", Seed = 7 + index };

    [Fact]
    public void AddDraw_ThenReopen_SamplesSurviveWithEveryField()
    {
        using (var store = RunStore.Open(DbPath()))
        {
            store.EnsureRun("r", Settings, parameters: 1000);
            store.AddProblems("r", [("p1", 0, "[]", "18")]);
            store.AddDraw("r", new StoredDraw("p1", 0, 2, 10, 6, 12.5, 0.25), [Sample("p1", 0), Sample("p1", 1, "y")]);
        }
        using (var store = RunStore.Open(DbPath()))
        {
            var samples = store.GetSamples("r");
            Assert.Equal(2, samples.Count);
            Assert.Equal([1, 2, 3], samples[0].Tokens);
            Assert.Equal(-0.5, samples[0].MeanLogprob);
            Assert.Equal(8, samples[1].Seed);
            Assert.Equal("y", samples[1].Text);
            Assert.Null(samples[0].Correct);
            Assert.Equal((10L, 6L, 0.25, 12.5), store.Totals("r"));
            Assert.Equal(1000, store.GetRun("r")!.Parameters);
            Assert.Equal("18", store.GetProblems("r")[0].Reference);
        }
    }

    [Fact]
    public void Open_UsesWriteAheadLogging()
    {
        using var store = RunStore.Open(DbPath());
        store.EnsureRun("r", Settings, null);
        Assert.True(File.Exists(DbPath() + "-wal"));
    }

    [Fact]
    public void AddDraw_IndexAlreadyStored_IsRejectedAndNothingOfTheCallIsKept()
    {
        using var store = RunStore.Open(DbPath());
        store.EnsureRun("r", Settings, null);
        store.AddDraw("r", new StoredDraw("p1", 0, 1, 1, 1, 1, 0), [Sample("p1", 0)]);
        var error = Assert.Throws<StoreException>(() => store.AddDraw("r", new StoredDraw("p1", 1, 2, 1, 1, 1, 0), [Sample("p1", 1), Sample("p1", 0)]));
        Assert.Contains("already stored", error.Message);
        Assert.Single(store.GetSamples("r"));
        Assert.Equal(1, store.Totals("r").PromptTokens);
    }

    [Fact]
    public void SetGrades_OverwritesEarlierGrades()
    {
        using var store = RunStore.Open(DbPath());
        store.EnsureRun("r", Settings, null);
        store.AddDraw("r", new StoredDraw("p1", 0, 1, 1, 1, 1, 0), [Sample("p1", 0)]);
        Assert.Single(store.GetSamples("r", ungradedOnly: true));
        store.SetGrades("r", [("p1", 0, "17", false, "expected 18", "t@1")]);
        store.SetGrades("r", [("p1", 0, "18", true, "ok", "t@2")]);
        var sample = Assert.Single(store.GetSamples("r"));
        Assert.Equal(("18", true, "ok", "t@2"), (sample.Answer, sample.Correct, sample.Reason, sample.GradedWith));
        Assert.Empty(store.GetSamples("r", ungradedOnly: true));
    }

    [Fact]
    public void EnsureRun_DifferentTemperature_IsRefusedWithOneLine()
    {
        using var store = RunStore.Open(DbPath());
        store.EnsureRun("r", Settings, null);
        var error = Assert.Throws<StoreException>(() => store.EnsureRun("r", Settings with { Temperature = 0.8 }, null));
        Assert.Contains("temperature 0.6 (asked 0.8)", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void EnsureRun_LargerKAndLimit_ExtendTheRecordedSettings()
    {
        using var store = RunStore.Open(DbPath());
        store.EnsureRun("r", Settings with { Limit = 5 }, null);
        store.EnsureRun("r", Settings with { SamplesPerProblem = 8, Limit = 10 }, null);
        store.EnsureRun("r", Settings with { SamplesPerProblem = 4, Limit = 3 }, null);
        var settings = RunSettingsJson.Deserialize(store.GetRun("r")!.SettingsJson);
        Assert.Equal(8, settings.SamplesPerProblem);
        Assert.Equal(10, settings.Limit);
    }

    [Fact]
    public void Open_NotADatabase_GivesOneLineError()
    {
        var path = DbPath("garbage.db");
        File.WriteAllText(path, new string('x', 4096));
        var error = Assert.Throws<StoreException>(() => RunStore.Open(path));
        Assert.Contains("not a usable store", error.Message);
        Assert.Throws<StoreException>(() => RunStore.Open(_dir));
    }

    [Fact]
    public void MergeFrom_TwoShards_GivesTheUnion_AndRemergingAddsNothing()
    {
        using (var a = RunStore.Open(DbPath("a.db")))
        {
            a.EnsureRun("r", Settings, 5);
            a.AddProblems("r", [("p0", 0, "[]", null)]);
            a.AddDraw("r", new StoredDraw("p0", 0, 2, 4, 4, 10, 0), [Sample("p0", 0), Sample("p0", 1)]);
            a.SetSessionWallTime("r", "session-a", 2);
        }
        using (var b = RunStore.Open(DbPath("b.db")))
        {
            b.EnsureRun("r", Settings, 5);
            b.AddProblems("r", [("p1", 1, "[]", null)]);
            b.AddDraw("r", new StoredDraw("p1", 0, 2, 4, 4, 10, 0), [Sample("p1", 0), Sample("p1", 1)]);
            b.SetSessionWallTime("r", "session-b", 3);
        }
        using var merged = RunStore.Open(DbPath("merged.db"));
        Assert.Equal(new MergeResult(1, 2, 0), merged.MergeFrom(DbPath("a.db")));
        Assert.Equal(new MergeResult(1, 2, 0), merged.MergeFrom(DbPath("b.db")));
        Assert.Equal(new MergeResult(1, 0, 2), merged.MergeFrom(DbPath("b.db")) with { });
        Assert.Equal(4, merged.GetSamples("r").Count);
        Assert.Equal(["p0", "p1"], merged.GetProblems("r").Select(p => p.ProblemId));
        Assert.Equal(8, merged.Totals("r").PromptTokens);
        Assert.Equal(5, merged.GetRun("r")!.WallSeconds); // each session once, however often merged
    }

    [Fact]
    public void MergeFrom_SameSamplesDrawnInOtherCalls_CountsTheirTokensOnce()
    {
        using (var a = RunStore.Open(DbPath("a.db")))
        {
            a.EnsureRun("r", Settings, null);
            a.AddDraw("r", new StoredDraw("p0", 0, 2, 10, 4, 1, 0), [Sample("p0", 0), Sample("p0", 1)]);
        }
        using var b = RunStore.Open(DbPath("b.db"));
        b.EnsureRun("r", Settings, null);
        b.AddDraw("r", new StoredDraw("p0", 0, 1, 10, 2, 1, 0), [Sample("p0", 0)]);
        b.AddDraw("r", new StoredDraw("p0", 1, 1, 10, 2, 1, 0), [Sample("p0", 1)]);

        Assert.Equal(new MergeResult(1, 0, 2), b.MergeFrom(DbPath("a.db")));
        Assert.Equal(20, b.Totals("r").PromptTokens);
    }

    [Fact]
    public void Open_ForeignSqliteDatabase_IsRefusedAndLeftUntouched()
    {
        var path = DbPath("foreign.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE runs (id INTEGER PRIMARY KEY); INSERT INTO runs VALUES (1);";
            command.ExecuteNonQuery();
        }
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<StoreException>(() => RunStore.Open(path));
        Assert.Contains("not a Slingshot store", error.Message);
        Assert.Throws<StoreException>(() => RunStore.Open(path, readOnly: true));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Open_ReadOnlyMissing_DoesNotCreateAFile()
    {
        Assert.Contains("does not exist", Assert.Throws<StoreException>(() => RunStore.Open(DbPath("missing.db"), readOnly: true)).Message);
        Assert.False(File.Exists(DbPath("missing.db")));
    }

    [Fact]
    public void MergeFrom_ConflictingSample_CopiesNothing()
    {
        using (var a = RunStore.Open(DbPath("a.db")))
        {
            a.EnsureRun("r", Settings, null);
            a.AddDraw("r", new StoredDraw("p0", 0, 1, 1, 1, 1, 0), [Sample("p0", 0, "one text")]);
            a.AddDraw("r", new StoredDraw("p1", 0, 1, 1, 1, 1, 0), [Sample("p1", 0)]);
        }
        using var b = RunStore.Open(DbPath("b.db"));
        b.EnsureRun("r", Settings, null);
        b.AddDraw("r", new StoredDraw("p0", 0, 1, 1, 1, 1, 0), [Sample("p0", 0, "another text")]);
        var error = Assert.Throws<StoreException>(() => b.MergeFrom(DbPath("a.db")));
        Assert.Contains("different text", error.Message);
        Assert.Single(b.GetSamples("r"));
    }

    [Fact]
    public void MergeFrom_MissingOrSelf_IsRefused()
    {
        using var store = RunStore.Open(DbPath());
        Assert.Contains("does not exist", Assert.Throws<StoreException>(() => store.MergeFrom(DbPath("nope.db"))).Message);
        Assert.Contains("into itself", Assert.Throws<StoreException>(() => store.MergeFrom(DbPath())).Message);
    }

    [Fact]
    public void DeleteRun_RemovesEverything()
    {
        using var store = RunStore.Open(DbPath());
        store.EnsureRun("r", Settings, null);
        store.AddDraw("r", new StoredDraw("p0", 0, 1, 1, 1, 1, 0), [Sample("p0", 0)]);
        Assert.True(store.DeleteRun("r"));
        Assert.Empty(store.ListRuns());
        Assert.Empty(store.GetSamples("r"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

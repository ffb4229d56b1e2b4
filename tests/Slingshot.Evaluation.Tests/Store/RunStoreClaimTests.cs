using Slingshot.Evaluation.Metrics;
using Slingshot.Evaluation.Store;

namespace Slingshot.Evaluation.Tests.Store;

/// <summary>Claims: how two sessions (each with its own connection, as two processes) share the calls of one run.</summary>
public sealed class RunStoreClaimTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly RunSettings Settings = new() { Model = "m", Task = "t", TaskVersion = "t@1", SamplesPerProblem = 4, MaxTokens = 16, Seed = 1 };

    private readonly string _dir = Directory.CreateTempSubdirectory("slingshot-claims-").FullName;
    private readonly RunStore _a;
    private readonly RunStore _b;

    public RunStoreClaimTests()
    {
        _a = RunStore.Open(Path.Combine(_dir, "runs.db"));
        _b = RunStore.Open(Path.Combine(_dir, "runs.db"));
        _a.EnsureRun("r", Settings, null);
    }

    private static StoredSample Sample(int index) => new() { ProblemId = "p", Index = index, Text = "x", CompletionTokens = 1 };

    [Fact]
    public void TryClaim_RangeOverlappingAnotherSessionsClaim_IsRefusedUntilTheClaimLapses()
    {
        Assert.True(_a.TryClaim("r", "A", "p", 0, 4, T0, Lease));

        Assert.False(_b.TryClaim("r", "B", "p", 2, 4, T0, Lease));
        Assert.False(_b.TryClaim("r", "B", "p", 3, 1, T0.AddSeconds(29), Lease));
        Assert.True(_b.TryClaim("r", "B", "p", 4, 2, T0, Lease)); // adjacent, not overlapping
        Assert.True(_b.TryClaim("r", "B", "q", 0, 4, T0, Lease)); // another problem

        // A renewed at +20 s holds until +50 s; a session that stops renewing loses the range one lease later.
        _a.RenewClaims("A", T0.AddSeconds(20), Lease);
        Assert.False(_b.TryClaim("r", "B", "p", 0, 2, T0.AddSeconds(45), Lease));
        Assert.True(_b.TryClaim("r", "B", "p", 0, 2, T0.AddSeconds(51), Lease));
        Assert.False(_a.TryClaim("r", "A", "p", 0, 4, T0.AddSeconds(52), Lease));
    }

    [Fact]
    public void ClaimsOfOthers_ListsUnexpiredClaimsOfOtherSessionsOnly()
    {
        _a.TryClaim("r", "A", "p", 0, 4, T0, Lease);
        _b.TryClaim("r", "B", "q", 0, 2, T0, TimeSpan.FromSeconds(5));

        Assert.Equal([new ClaimedRange("q", 0, 2)], _a.ClaimsOfOthers("r", "A", T0.AddSeconds(1)));
        Assert.Empty(_a.ClaimsOfOthers("r", "A", T0.AddSeconds(6)));
        Assert.Equal([new ClaimedRange("p", 0, 4)], _b.ClaimsOfOthers("r", "B", T0));

        _a.ReleaseClaims("A");
        Assert.Empty(_b.ClaimsOfOthers("r", "B", T0));
    }

    [Fact]
    public void TryClaim_SamplesAlreadyStored_IsRefused()
    {
        _a.AddDraw("r", new StoredDraw("p", 2, 1, 1, 1, 1, 0), [Sample(2)]);

        Assert.False(_b.TryClaim("r", "B", "p", 0, 4, T0, Lease));
        Assert.True(_b.TryClaim("r", "B", "p", 0, 2, T0, Lease));
    }

    [Fact]
    public void TryAddDraw_IndexStoredThroughAnotherConnection_KeepsNothingOfTheCall()
    {
        Assert.True(_a.TryAddDraw("r", new StoredDraw("p", 0, 2, 5, 5, 1, 0), [Sample(0), Sample(1)]));

        Assert.False(_b.TryAddDraw("r", new StoredDraw("p", 1, 2, 7, 7, 1, 0), [Sample(1), Sample(2)]));

        Assert.Equal([0, 1], _b.GetSamples("r").Select(s => s.Index));
        Assert.Equal(5, _b.Totals("r").PromptTokens);
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

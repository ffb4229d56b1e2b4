using Slingshot.Generation.Prefixes;

namespace Slingshot.Tests.Prefixes;

public sealed class StreamPrefixCacheTests
{
    private static readonly int[] Streams = [4, 5, 6];

    private static (StreamPrefixCache Cache, SimulatedKv Kv, CacheDriver Driver, EngineStatistics Stats) Create(int minimumReuse = 4)
    {
        // Whole-stream copies only: the simulated split cache throws on a partial copy between streams, as llama.cpp asserts.
        var kv = new SimulatedKv(unified: false);
        var stats = new EngineStatistics();
        var cache = new StreamPrefixCache(kv, Streams, minimumReuse, stats);
        return (cache, kv, new CacheDriver(cache, kv, contextSize: 0), stats);
    }

    private static int[] Range(int start, int count) => [.. Enumerable.Range(start, count)];

    private static void AssertConsistent(StreamPrefixCache cache, SimulatedKv kv)
    {
        foreach (var (stream, tokens) in cache.Entries)
        {
            Assert.Equal(tokens, kv.Contents(stream));
        }
    }

    [Fact]
    public void SharedBeginning_CopiesTheWholeStreamAndCutsWhatDiffers()
    {
        var (cache, kv, driver, stats) = Create();
        int[] system = Range(100, 40);
        driver.Run(0, [.. system, 1, 2], [9, 9]);

        var reused = driver.Run(1, [.. system, 3, 4], [8]);

        Assert.Equal(40, reused);
        Assert.Equal(1, stats.PrefixCacheHits);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void ShortMatch_BelowTheMinimum_IsNotWorthACopy()
    {
        var (_, _, driver, stats) = Create(minimumReuse: 16);
        driver.Run(0, [.. Range(1, 10), 500], []);

        var reused = driver.Run(0, [.. Range(1, 10), 600], []);

        Assert.Equal(0, reused);
        Assert.Equal(2, stats.PrefixCacheLookups);
        Assert.Equal(0, stats.PrefixCacheHits);
    }

    [Fact]
    public void Keep_ContinuationOfACachedPrompt_ReplacesItInsteadOfTakingAnotherStream()
    {
        var (cache, kv, driver, stats) = Create();
        int[] turn1 = Range(1, 20);
        driver.Run(0, turn1, [30, 31]);

        driver.Run(0, [.. turn1, 30, 31, 40, 41], [50]);

        Assert.Single(cache.Entries, e => e.Tokens.Length > 0);
        Assert.Equal(0, stats.PrefixCacheEvictions);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void Keep_AllStreamsTaken_ReplacesTheLeastRecentlyUsed()
    {
        var (cache, kv, driver, stats) = Create();
        driver.Run(0, Range(1000, 10), []);
        driver.Run(0, Range(2000, 10), []);
        driver.Run(0, Range(3000, 10), []);
        driver.Run(0, [.. Range(1000, 10), 7], []); // refreshes the first

        driver.Run(0, Range(4000, 10), []);

        Assert.Equal(1, stats.PrefixCacheEvictions);
        Assert.DoesNotContain(cache.Entries, e => e.Tokens.Length > 0 && e.Tokens[0] == 2000);
        Assert.Contains(cache.Entries, e => e.Tokens.Length > 0 && e.Tokens[0] == 1000);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void Keep_SampleOfAForkedRequest_KeepsOnlyThePromptItWasGiven()
    {
        var (cache, kv, _, _) = Create();
        kv.Decode(0, [.. Range(1, 12), 90, 91]); // a prompt and the sample's own tokens

        cache.Keep(0, Range(1, 12));

        Assert.Contains(cache.Entries, e => e.Tokens.SequenceEqual(Range(1, 12)));
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void RandomWorkload_EveryRestoredPrefixMatchesThePrompt()
    {
        var random = new Random(11);
        var (cache, kv, driver, stats) = Create();
        int[][] systems = [Range(10_000, 30), Range(20_000, 45)];
        for (var i = 0; i < 300; i++)
        {
            int[] prompt = [.. systems[random.Next(systems.Length)], .. Range(random.Next(1, 1_000_000), random.Next(1, 10))];
            driver.Run(random.Next(4), prompt, Range(random.Next(1, 1_000_000), random.Next(0, 5))); // asserts each restore
            AssertConsistent(cache, kv);
        }
        Assert.True(stats.PrefixCacheHits > 200, $"{stats.PrefixCacheHits} hits");
    }
}

using Slingshot.Generation.Prefixes;

namespace Slingshot.Tests.Prefixes;

public sealed class SharedPrefixCacheTests
{
    private const int FirstSlot = 8;
    private static readonly int[] Slots = [.. Enumerable.Range(FirstSlot, 8)];

    private static (SharedPrefixCache Cache, SimulatedKv Kv, CacheDriver Driver, EngineStatistics Stats) Create(int contextSize = 1000, int? maxTokens = null)
    {
        var kv = new SimulatedKv(unified: true);
        var stats = new EngineStatistics();
        var cache = new SharedPrefixCache(kv, Slots, maxTokens ?? contextSize, stats);
        return (cache, kv, new CacheDriver(cache, kv, contextSize), stats);
    }

    private static int[] Range(int start, int count) => [.. Enumerable.Range(start, count)];

    /// <summary>Every leaf's slot holds exactly its path, and the cache's token count is the cells its slots hold.</summary>
    private static void AssertConsistent(SharedPrefixCache cache, SimulatedKv kv)
    {
        foreach (var leaf in cache.Tree.Leaves)
        {
            Assert.Equal(PrefixTree.PathTokens(leaf), kv.Contents(leaf.Slot));
        }
        foreach (var slot in Slots.Except(cache.Tree.Leaves.Select(l => l.Slot)))
        {
            Assert.Empty(kv.Contents(slot));
        }
        Assert.Equal(cache.Tokens, kv.CellsOf(Slots));
    }

    [Fact]
    public void SecondPrompt_SharingExemplars_ReusesExactlyTheCommonTokens()
    {
        var (cache, kv, driver, stats) = Create();
        int[] exemplars = Range(100, 50);

        Assert.Equal(0, driver.Run(0, [.. exemplars, 1, 2, 3], [7, 7]));
        var reused = driver.Run(0, [.. exemplars, 4, 5], [8]);

        Assert.Equal(50, reused);
        Assert.Equal(50 + 5 + 3, cache.Tokens); // exemplars once, then each question and answer
        Assert.Equal(2, stats.PrefixCacheLookups);
        Assert.Equal(1, stats.PrefixCacheHits);
        Assert.Equal(50, stats.PrefixCacheTokensReused);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void SamePromptAgain_ReusesAllButItsLastToken()
    {
        var (cache, kv, driver, _) = Create();
        int[] prompt = Range(1, 30);
        driver.Run(0, prompt, [9, 9, 9]);

        var reused = driver.Run(1, prompt, [9, 9, 9]);

        Assert.Equal(29, reused); // the last prompt token is decoded again: its logits are needed
        Assert.Equal(33, cache.Tokens);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void ChatTurn_ContinuingACachedConversation_GrowsTheSameSlot()
    {
        var (cache, kv, driver, _) = Create();
        int[] turn1 = Range(1, 20);
        int[] answer1 = [50, 51, 52];
        driver.Run(0, turn1, answer1);

        var reused = driver.Run(0, [.. turn1, .. answer1, 60, 61], [70]);

        Assert.Equal(23, reused);
        Assert.Single(cache.Tree.Leaves);
        Assert.Equal(26, cache.Tokens);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void Admission_NeedingCells_EvictsLeastRecentlyUsedPrefixFirst()
    {
        var (cache, kv, driver, stats) = Create(contextSize: 100);
        driver.Run(0, Range(1000, 30), []);    // A
        driver.Run(0, Range(2000, 30), []);    // B
        driver.Run(0, [.. Range(1000, 30), 5], []); // uses A again: B is now the oldest

        driver.Run(0, Range(3000, 50), []);    // needs 50 of the 39 free cells

        Assert.Equal(1, stats.PrefixCacheEvictions);
        Assert.Equal(30, cache.Tree.Match(Range(1000, 30)).Length);
        Assert.Equal(0, cache.Tree.Match(Range(2000, 30)).Length);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void Admission_PrefixInUse_IsNeverEvictedAndTheRequestWaits()
    {
        var (cache, kv, driver, stats) = Create(contextSize: 100);
        int[] shared = Range(1, 60);
        driver.Run(0, [.. shared, 1000], []);
        var running = driver.Admit(1, [.. shared, 2000], generated: 10)!; // pins the 60 shared tokens

        var blocked = driver.Admit(2, Range(5000, 30), generated: 10); // 40 cells; at most 100 - 11 - 60 can be had

        Assert.Null(blocked);
        Assert.Equal(60, cache.Tree.Match(shared).Length);
        driver.Finish(running, [3, 3]);
        Assert.NotNull(driver.Admit(2, Range(5000, 30), generated: 10)); // once the pin is gone, eviction makes room
        Assert.True(stats.PrefixCacheEvictions >= 1);
    }

    [Fact]
    public void Keep_BeyondTheSizeLimit_EvictsOldestPrefixes()
    {
        var (cache, kv, driver, stats) = Create(contextSize: 1000, maxTokens: 50);

        driver.Run(0, Range(100, 20), []);
        driver.Run(0, Range(200, 20), []);
        driver.Run(0, Range(300, 20), []);

        Assert.True(cache.Tokens <= 50);
        Assert.Equal(1, stats.PrefixCacheEvictions);
        Assert.Equal(0, cache.Tree.Match(Range(100, 20)).Length);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void Keep_PromptLongerThanTheSizeLimit_IsNotCached()
    {
        var (cache, kv, driver, _) = Create(contextSize: 1000, maxTokens: 50);

        driver.Run(0, Range(100, 80), []);

        Assert.Equal(0, cache.Tokens);
        Assert.Equal(0, kv.UsedCells);
        Assert.Equal(0, driver.Run(0, Range(100, 80), []));
    }

    [Fact]
    public void Keep_MoreLeavesThanSlots_EvictsToFreeASlot()
    {
        var (cache, kv, driver, stats) = Create();
        for (var i = 0; i < Slots.Length + 3; i++)
        {
            driver.Run(0, Range(1000 * (i + 1), 5), []);
        }

        Assert.Equal(Slots.Length, cache.Tree.Leaves.Count);
        Assert.Equal(3, stats.PrefixCacheEvictions);
        AssertConsistent(cache, kv);
    }

    [Fact]
    public void Clear_FreesEveryCell()
    {
        var (cache, kv, driver, _) = Create();
        driver.Run(0, Range(1, 40), [5]);
        driver.Run(0, [.. Range(1, 20), 99], []);

        cache.Clear();

        Assert.Equal(0, kv.UsedCells);
        Assert.Equal(0, driver.Run(0, Range(1, 40), []));
    }

    [Fact]
    public void RandomWorkload_ManyRequestsInFlight_KeepsEveryInvariant()
    {
        // Prompts built from a few shared blocks (exemplars, system prompts) and private tails, admitted and finished
        // in random order; after every step each slot holds its path, the count matches the cells, and the context is
        // never exceeded (the reservation is exact).
        var random = new Random(7);
        var (cache, kv, driver, stats) = Create(contextSize: 400);
        int[][] blocks = [.. Enumerable.Range(0, 4).Select(b => Range(10_000 * (b + 1), random.Next(5, 60)))];
        var running = new List<CacheDriver.Running>();
        var freeSequences = new Stack<int>(Enumerable.Range(0, FirstSlot));
        for (var step = 0; step < 600; step++)
        {
            if (running.Count > 0 && (freeSequences.Count == 0 || random.Next(3) == 0))
            {
                var done = running[random.Next(running.Count)];
                running.Remove(done);
                driver.Finish(done, Range(random.Next(1, 1_000_000), random.Next(0, 12)));
                freeSequences.Push(done.Sequence);
            }
            else
            {
                int[] prompt = [.. blocks[random.Next(blocks.Length)], .. random.Next(2) == 0 ? blocks[random.Next(blocks.Length)] : [], .. Range(random.Next(1, 1_000_000), random.Next(1, 30))];
                var sequence = freeSequences.Peek();
                if (driver.Admit(sequence, prompt, generated: 12) is { } admitted)
                {
                    freeSequences.Pop();
                    running.Add(admitted);
                }
            }
            AssertConsistent(cache, kv);
        }

        Assert.True(stats.PrefixCacheHits > 100, $"{stats.PrefixCacheHits} hits");
        Assert.True(stats.PrefixCacheEvictions > 0);
    }
}

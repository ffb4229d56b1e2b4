using Microsoft.Extensions.AI;
using Slingshot.Strategies.Sampling;

namespace Slingshot.Strategies.Tests.Middleware;

public sealed class RepeatedSamplerTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "What is 2 + 2?")];

    [Fact]
    public async Task SampleAsync_ClientWithoutSource_CallsOncePerSampleWithSeedPlusIndex()
    {
        var calls = new List<ChatOptions?>();
        var client = FakeChatClient.ScriptedBySeed(["a", "b", "c", "d"], calls);
        var options = new ChatOptions { Seed = 100, Temperature = 0.7f };

        var result = await new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 4 }).SampleAsync(Question, options);

        Assert.False(result.UsedSampleSource);
        Assert.Equal([100L, 101, 102, 103], calls.Select(c => c!.Seed!.Value).Order());
        Assert.All(calls, c => Assert.Equal(0.7f, c!.Temperature));
        Assert.Equal(["a", "b", "c", "d"], result.Candidates.Select(c => c.Text));
        Assert.Equal([0, 1, 2, 3], result.Candidates.Select(c => c.Index));
        Assert.Equal([100L, 101, 102, 103], result.Candidates.Select(c => c.Seed!.Value));
        Assert.Equal(40, result.Usage.InputTokenCount);
        Assert.Equal(12, result.Usage.OutputTokenCount);
        Assert.Equal("fake", result.ModelId);
        Assert.Equal(100, options.Seed);
    }

    [Fact]
    public async Task SampleAsync_NoSeed_CallsWithoutSeed()
    {
        var seeds = new List<long?>();
        var client = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, options, _) =>
            {
                lock (seeds)
                {
                    seeds.Add(options?.Seed);
                }
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));
            },
        };

        var result = await new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 3 }).SampleAsync(Question);

        Assert.Equal([null, null, null], seeds);
        Assert.All(result.Candidates, c => Assert.Null(c.Seed));
    }

    [Fact]
    public async Task SampleAsync_CallsFinishOutOfOrder_CandidatesStayInIndexOrder()
    {
        var client = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, options, ct) =>
            {
                var index = (int)options!.Seed!.Value;
                await Task.Delay(TimeSpan.FromMilliseconds(60 - (20 * index)), ct);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, $"sample {index}"));
            },
        };

        var result = await new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 3 }).SampleAsync(Question, new ChatOptions { Seed = 0 });

        Assert.Equal(["sample 0", "sample 1", "sample 2"], result.Candidates.Select(c => c.Text));
    }

    [Fact]
    public async Task SampleAsync_MaxConcurrency_BoundsCallsInFlight()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var client = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                await Task.Delay(TimeSpan.FromMilliseconds(30), ct);
                Interlocked.Decrement(ref inFlight);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
            },
        };

        await new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 6, MaxConcurrency = 2 }).SampleAsync(Question);

        Assert.Equal(2, maxInFlight);
    }

    [Fact]
    public async Task SampleAsync_OneCallFails_ThrowsItsErrorAndCancelsTheRest()
    {
        var cancelled = 0;
        var client = new FakeChatClient
        {
            GetResponseAsyncCallback = async (_, options, ct) =>
            {
                if (options!.Seed == 2)
                {
                    throw new InvalidOperationException("endpoint down");
                }
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, ct);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }
                return new ChatResponse();
            },
        };
        var sampler = new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 3, MaxConcurrency = 3 });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => sampler.SampleAsync(Question, new ChatOptions { Seed = 0 }));

        Assert.Equal("endpoint down", error.Message);
        Assert.Equal(2, cancelled);
    }

    [Fact]
    public async Task SampleAsync_ClientWithSource_MakesOneForkedCall()
    {
        var sourceCalls = new List<(int Count, int? TopLogprobs, long? Seed)>();
        var source = new FakeSampleSource
        {
            Info = new SampleSourceInfo { ModelId = "forked-model", SupportsLogprobs = true },
            SampleAsyncCallback = (request, _) =>
            {
                sourceCalls.Add((request.Count, request.TopLogprobs, request.Options?.Seed));
                return Task.FromResult(FakeSampleSource.Result(["ab", "abc", "a"], 5, [-0.5f, -1.5f, null]));
            },
        };
        var client = new FakeChatClient
        {
            GetServiceCallback = (type, _) => type == typeof(ISampleSource) ? source : null,
        };

        var result = await new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 3, TopLogprobs = 0 })
            .SampleAsync(Question, new ChatOptions { Seed = 5 });

        Assert.True(result.UsedSampleSource);
        Assert.Equal([(3, (int?)0, (long?)5)], sourceCalls);
        Assert.Equal(["ab", "abc", "a"], result.Candidates.Select(c => c.Text));
        Assert.Equal([-0.5, -1.5, null], result.Candidates.Select(c => c.MeanLogprob));
        Assert.Equal([5L, 6, 7], result.Candidates.Select(c => c.Seed!.Value));
        Assert.All(result.Candidates, c => Assert.Equal(FinishReason.Stop, c.FinishReason));
        Assert.Equal(7, result.Usage.InputTokenCount);
        Assert.Equal(6, result.Usage.OutputTokenCount);
        Assert.Equal(3, result.Candidates[1].Usage!.Value.CompletionTokens);
        Assert.Equal("forked-model", result.ModelId);
    }

    [Fact]
    public async Task SampleAsync_SourceNotPreferred_CallsSeparately()
    {
        var calls = new List<ChatOptions?>();
        var client = FakeChatClient.ScriptedBySeed(["a", "b"], calls);
        client.GetServiceCallback = (type, _) => type == typeof(ISampleSource)
            ? new FakeSampleSource { SampleAsyncCallback = (_, _) => throw new InvalidOperationException("not expected") }
            : null;

        var result = await new RepeatedSampler(client, new RepeatedSamplingOptions { Count = 2, PreferSampleSource = false })
            .SampleAsync(Question, new ChatOptions { Seed = 100 });

        Assert.False(result.UsedSampleSource);
        Assert.Equal(2, calls.Count);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Constructor_InvalidOptions_Throws(int count, int concurrency)
    {
        var options = new RepeatedSamplingOptions { Count = count, MaxConcurrency = concurrency };

        Assert.Throws<ArgumentException>(() => new RepeatedSampler(new FakeChatClient(), options));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

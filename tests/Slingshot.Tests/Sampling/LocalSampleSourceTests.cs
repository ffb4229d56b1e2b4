using Microsoft.Extensions.AI;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Sampling;

/// <summary>The local engine through the sample-source contract: the same samples as the engine, whole or streamed.</summary>
public sealed class LocalSampleSourceTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    private const string Prompt = "Once upon a time";

    [Fact]
    public async Task SampleAsync_RawPrompt_EqualsTheEnginesOutput()
    {
        ISampleSource source = new LlamaChatClient(fixture.Engine);
        var options = new ChatOptions { Temperature = 0.9f, Seed = 21, MaxOutputTokens = 16 };

        var sampled = await source.SampleAsync(SampleRequest.Text(Prompt, 3, options, topLogprobs: 0));
        var engine = await fixture.Engine.GenerateAsync(new GenerationRequest
        {
            Prompt = Prompt,
            SampleCount = 3,
            MaxTokens = 16,
            Sampling = new SamplerSettings { Temperature = 0.9f, Seed = 21 },
            TopLogprobs = 0,
        });

        Assert.Equal(engine.Samples.Select(s => s.Text), sampled.Samples.Select(s => s.Text));
        Assert.Equal(engine.Samples.Select(s => s.Tokens), sampled.Samples.Select(s => s.Tokens));
        Assert.Equal(engine.Samples.Select(s => s.Seed), sampled.Samples.Select(s => s.Seed));
        Assert.Equal(engine.Samples.Select(s => s.MeanLogprob), sampled.Samples.Select(s => s.MeanLogprob));
        Assert.Equal(engine.Usage, sampled.Usage);
        Assert.Equal([21L, 22, 23], sampled.Samples.Select(s => s.Seed!.Value));
    }

    [Fact]
    public async Task StreamAsync_ConcatenatedText_EqualsTheWholeSamples()
    {
        ISampleSource source = new LlamaChatClient(fixture.Engine);
        var request = SampleRequest.Text(Prompt, 3, new ChatOptions { Temperature = 0.8f, Seed = 5, MaxOutputTokens = 20 });

        var whole = await source.SampleAsync(request);
        var streamed = new string[3].Select(_ => new System.Text.StringBuilder()).ToArray();
        var tokens = Enumerable.Range(0, 3).Select(_ => new List<int>()).ToArray();
        GenerationResult? last = null;
        await foreach (var update in source.StreamAsync(request))
        {
            if (update.SampleIndex >= 0)
            {
                streamed[update.SampleIndex].Append(update.Text);
                if (update.Token is { } token)
                {
                    tokens[update.SampleIndex].Add(token);
                }
            }
            last = update.Result ?? last;
        }

        Assert.True(source.Info.StreamsTokens);
        Assert.Equal(whole.Samples.Select(s => s.Text), streamed.Select(b => b.ToString()));
        Assert.Equal(whole.Samples.Select(s => s.Tokens), tokens);
        Assert.NotNull(last);
        Assert.Equal(whole.Samples.Select(s => s.Text), last.Samples.Select(s => s.Text));
        Assert.Equal(whole.ModelId, last.ModelId);
    }

    [Fact]
    public async Task SampleAsync_Conversation_ReportsEveryTimingPartAndPerSampleUsage()
    {
        ISampleSource source = new LlamaChatClient(fixture.Engine, new LlamaChatClientOptions { FallbackChatTemplate = "chatml", ModelId = "stories" });

        var result = await source.SampleAsync(SampleRequest.Chat([new ChatMessage(ChatRole.User, "Hello")], 2,
            new ChatOptions { Temperature = 0, MaxOutputTokens = 6 }));

        Assert.Equal("stories", result.ModelId);
        Assert.NotNull(result.Timings.QueueTime);
        Assert.NotNull(result.Timings.TimeToFirstToken);
        Assert.NotNull(result.Timings.PrefillTokensPerSecond);
        Assert.NotNull(result.Timings.DecodeTokensPerSecond);
        Assert.All(result.Samples, s => Assert.Equal(s.Tokens!.Count, s.Usage!.Value.CompletionTokens));
        Assert.All(result.Samples, s => Assert.Equal(result.Usage.PromptTokens, s.Usage!.Value.PromptTokens));
    }

    [Fact]
    public void Info_DescribesTheEngine()
    {
        var source = new LlamaChatClient(fixture.Engine, new LlamaChatClientOptions { Price = new TokenPrice(1, 2) });

        Assert.Equal(fixture.Engine.MaxSequences, source.Info.MaxSamplesPerCall);
        Assert.Equal(fixture.Engine.Model.Info.ParameterCount, source.Info.Parameters);
        Assert.True(source.Info.SupportsRawPrompt);
        Assert.True(source.Info.SupportsLogprobs);
        Assert.Equal(new TokenPrice(1, 2), source.Info.Price);
    }

    [Fact]
    public async Task SampleAsync_MoreSamplesThanSequences_IsRefusedNamingTheLimit()
    {
        ISampleSource source = new LlamaChatClient(fixture.Engine);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => source.SampleAsync(SampleRequest.Text(Prompt, fixture.Engine.MaxSequences + 1)));

        Assert.Contains($"at most {fixture.Engine.MaxSequences} sequences", error.Message);
    }

    [Fact]
    public async Task Prepare_Conversation_RendersOnceAndSamplesWhatSampleAsyncSamples()
    {
        var client = new LlamaChatClient(fixture.Engine, new LlamaChatClientOptions { FallbackChatTemplate = "chatml" });
        var request = SampleRequest.Chat([new ChatMessage(ChatRole.User, "Hello")], 2, new ChatOptions { Temperature = 0, MaxOutputTokens = 8 });
        var direct = await client.SampleAsync(request);
        var before = client.Renders;

        var prepared = client.Prepare(request);
        var whole = await client.SampleAsync(prepared);
        var streamed = new System.Text.StringBuilder();
        await foreach (var update in client.StreamAsync(prepared))
        {
            streamed.Append(update.SampleIndex == 0 ? update.Text : "");
        }

        Assert.Equal(1, client.Renders - before);
        Assert.Same(request, prepared.Request);
        Assert.False(prepared.Replies.ParsesReply);
        Assert.Equal(direct.Samples.Select(s => s.Tokens), whole.Samples.Select(s => s.Tokens));
        Assert.Equal(direct.Usage.PromptTokens, whole.Usage.PromptTokens);
        Assert.Equal(whole.Samples[0].Text, streamed.ToString());
    }

    [Fact]
    public async Task SampleAsync_RequestPreparedByAnotherClient_IsRefused()
    {
        var prepared = new LlamaChatClient(fixture.Engine).Prepare(SampleRequest.Text(Prompt));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new LlamaChatClient(fixture.Engine).SampleAsync(prepared));

        Assert.Contains("another client", error.Message);
    }
}

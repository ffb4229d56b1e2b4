using Microsoft.Extensions.AI;
using Slingshot.Server.Tests.Support;
using Slingshot.Remote;
using Xunit.Abstractions;

namespace Slingshot.Server.Tests.Remote;

/// <summary>
/// A remote model against llama.cpp's llama-server, a server Slingshot did not write. Where the executable is not
/// built (CI) each test writes why to its output and returns.
/// </summary>
public sealed class RemoteLlamaServerTests(LlamaServerFixture server, ITestOutputHelper output) : IClassFixture<LlamaServerFixture>
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "Once upon a time")];

    private static ChatOptions Sampling => new() { MaxOutputTokens = 6, Temperature = 0.9f, Seed = 11 };

    private RemoteChatClient? Connect(bool? nativeN = null, int concurrency = 8)
    {
        if (server.Url is null)
        {
            output.WriteLine(server.Missing);
            return null;
        }
        return RemoteModel.Connect(new RemoteModelOptions { Url = server.Url, Model = ServerFixture.Model, UseNativeN = nativeN, MaxConcurrency = concurrency });
    }

    [Fact]
    public async Task GetResponseAsync_LlamaServer_TextAndUsage()
    {
        using var client = Connect();
        if (client is null)
        {
            return;
        }

        var response = await client.GetResponseAsync(Prompt, Sampling);

        Assert.False(string.IsNullOrEmpty(response.Text));
        Assert.True(response.Usage?.InputTokenCount > 0);
        Assert.InRange(response.Usage?.OutputTokenCount ?? 0, 1, 6);
    }

    [Fact]
    public async Task SampleAsync_LlamaServer_NUpToItsSlotsInOneRequestMoreInRequestsOfThatSize()
    {
        using var client = Connect();
        if (client is null)
        {
            return;
        }

        var withinSlots = await client.SampleAsync(SampleRequest.Chat(Prompt, LlamaServerFixture.Slots, Sampling, topLogprobs: 0));
        Assert.True(client.SupportsNativeN);
        // More than its slots: llama-server answers 400, and the client falls back to requests of n = 2.
        var beyondSlots = await client.SampleAsync(SampleRequest.Chat(Prompt, 5, Sampling, topLogprobs: 0));

        Assert.Equal(LlamaServerFixture.Slots, withinSlots.Samples.Count);
        Assert.Equal([0, 1, 2, 3, 4], beyondSlots.Samples.Select(s => s.Index));
        Assert.All(withinSlots.Samples.Concat(beyondSlots.Samples), s =>
        {
            Assert.NotNull(s.Logprobs);
            Assert.InRange(s.Logprobs.Count, 1, 6);
            Assert.InRange(s.MeanLogprob!.Value, double.NegativeInfinity, 0);
        });
        // Three requests (n = 2, 2, 1), each paying for the prompt once; completion tokens are every sample's.
        Assert.Equal(3 * withinSlots.Usage.PromptTokens, beyondSlots.Usage.PromptTokens);
        Assert.Equal(beyondSlots.Samples.Sum(s => s.Logprobs!.Count), beyondSlots.Usage.CompletionTokens);
        Assert.Equal(withinSlots.Samples.Sum(s => s.Logprobs!.Count), withinSlots.Usage.CompletionTokens);
        Assert.True(client.SupportsNativeN);
    }

    [Fact]
    public async Task SampleAsync_LlamaServerParallelRequests_SeedPerSampleAndReproducible()
    {
        // One request at a time: batched with another sequence, the same seed may sample differently in the last bits.
        using var client = Connect(nativeN: false, concurrency: 1);
        if (client is null)
        {
            return;
        }

        var first = await client.SampleAsync(SampleRequest.Chat(Prompt, 3, Sampling));
        var again = await client.SampleAsync(SampleRequest.Chat(Prompt, 3, Sampling));

        Assert.Equal([11L, 12L, 13L], first.Samples.Select(s => s.Seed!.Value));
        Assert.Equal(first.Samples.Select(s => s.Text), again.Samples.Select(s => s.Text));
        Assert.Null(first.Samples[0].Logprobs);
    }
}

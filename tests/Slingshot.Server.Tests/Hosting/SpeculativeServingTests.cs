using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.Hosting;

/// <summary>A model served with a draft model still batches concurrent requests.</summary>
public sealed class SpeculativeServingTests(DraftServerFixture server) : IClassFixture<DraftServerFixture>
{
    [Fact]
    public async Task ConcurrentRequests_WithDraftModel_AreBatchedNotSpeculatedOneAfterAnother()
    {
        const int requests = 8;
        var before = await Metrics.WaitForIdleAsync(server.Http);

        var replies = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => server.Http.PostJsonAsync("/v1/completions",
            new { model = ServerFixture.Model, prompt = $"Once upon a time, there was a {i}", max_tokens = 200, temperature = 0 })));

        var after = await Metrics.WaitForIdleAsync(server.Http);
        Assert.All(replies, r => Assert.Equal(200, r.Code));
        var generated = replies.Sum(r => Property(Property(r.Json, "usage"), "completion_tokens").GetInt32());
        var calls = after.Engine("slingshot_engine_decode_calls_total") - before.Engine("slingshot_engine_decode_calls_total");
        var batchTokens = after.Engine("slingshot_engine_batch_tokens_total") - before.Engine("slingshot_engine_batch_tokens_total");
        // Speculated one after another, every request costs about one llama_decode (a target or draft pass) per token
        // it generates; batched, the requests share their calls. At most one request is speculated at a time, so most
        // tokens go through the decode loop.
        Assert.True(calls < generated / 2.0, $"{calls} llama_decode calls for {generated} tokens");
        Assert.True(batchTokens > generated / 2.0, $"{batchTokens} tokens through the decode loop of {generated} generated");
    }
}

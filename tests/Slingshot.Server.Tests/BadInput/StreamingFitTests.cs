using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.BadInput;

/// <summary>
/// A streaming request that cannot fit the context is refused before the first byte, with the same 400 as the
/// non-streaming path, not with a 200 whose stream breaks off (the default fixture's context holds 2048 cells).
/// </summary>
public sealed class StreamingFitTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    [Theory]
    [InlineData(1500, 2)] // each sample fits alone, both together do not
    [InlineData(2100, 1)] // one sample longer than the context
    public async Task ChatStream_DoesNotFitContext_400ContextLengthExceeded(int maxTokens, int n)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: maxTokens, n: n, stream: true));

        Error(reply, 400, "invalid_request_error", "context_length_exceeded", "messages");
        await Metrics.WaitForIdleAsync(server.Http);
    }

    [Fact]
    public async Task CompletionsStream_DoesNotFitContext_400ContextLengthExceededNamingPrompt()
    {
        var reply = await server.Http.PostJsonAsync("/v1/completions",
            new { model = ServerFixture.Model, prompt = "Once upon a time", max_tokens = 1500, n = 2, stream = true, echo = true });

        Error(reply, 400, "invalid_request_error", "context_length_exceeded", "prompt");
        await Metrics.WaitForIdleAsync(server.Http);
    }

    [Fact]
    public async Task ChatStream_FitsContext_StreamsToDone()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 16, n: 2, stream: true));

        Assert.True(reply.Code == 200, reply.Body);
        Assert.NotEmpty(Sse.ParseStrict(reply.Body));
    }
}

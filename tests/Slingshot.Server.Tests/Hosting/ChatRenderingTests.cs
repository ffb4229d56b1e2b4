using Slingshot.Server.Hosting;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Hosting;

/// <summary>A local chat request renders its conversation with the chat template once: the prompt the engine decodes and
/// the reader of its replies come from the same rendering.</summary>
public sealed class ChatRenderingTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletion_LocalModel_RendersTheConversationOnce(bool stream)
    {
        var local = (server.Catalog.Find(ServerFixture.Model) as LocalModel)?.Chat ?? throw new InvalidOperationException("no local model");
        var before = local.Renders;

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", new
        {
            model = ServerFixture.Model,
            messages = new object[] { new { role = "system", content = "You tell stories." }, new { role = "user", content = "Once upon a time" } },
            max_tokens = 4,
            n = 2,
            stream,
        });

        Assert.Equal(200, reply.Code);
        Assert.Equal(1, local.Renders - before);
    }
}

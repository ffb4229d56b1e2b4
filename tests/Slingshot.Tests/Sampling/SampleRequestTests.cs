using Microsoft.Extensions.AI;

namespace Slingshot.Tests.Sampling;

public sealed class SampleRequestTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.User, "Hi")];

    [Fact]
    public void Chat_LazyConversation_IsReadOnceIntoAList()
    {
        var reads = 0;
        IEnumerable<ChatMessage> Lazy()
        {
            reads++;
            yield return new ChatMessage(ChatRole.User, "Hi");
        }

        var request = SampleRequest.Chat(Lazy(), 2);

        Assert.Equal(1, reads);
        Assert.Single(request.Messages!);
        Assert.False(request.IsRawPrompt);
        Assert.Equal(2, request.Count);
    }

    [Theory]
    [InlineData(0, null, null, "Count")]
    [InlineData(1, -1, null, "TopLogprobs")]
    [InlineData(1, null, 0, "DefaultMaxTokens")]
    public void Validate_BadValue_ThrowsNamingTheField(int count, int? topLogprobs, int? defaultMaxTokens, string field)
    {
        var request = new SampleRequest { Prompt = "x", Count = count, TopLogprobs = topLogprobs, DefaultMaxTokens = defaultMaxTokens };

        var error = Assert.ThrowsAny<ArgumentException>(request.Validate);

        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void Validate_BothOrNeitherOfMessagesAndPrompt_Throws()
    {
        Assert.Equal("Messages", Assert.Throws<ArgumentException>(new SampleRequest().Validate).ParamName);
        Assert.Equal("Messages", Assert.Throws<ArgumentException>(new SampleRequest { Messages = Conversation, Prompt = "x" }.Validate).ParamName);
        Assert.Contains("At least one message", Assert.Throws<ArgumentException>(() => SampleRequest.Chat([], 1)).Message);
    }

    [Fact]
    public void Text_RawPrompt_KeepsItsSettings()
    {
        var options = new ChatOptions { Seed = 4 };

        var request = SampleRequest.Text("Once", 3, options, topLogprobs: 0);

        Assert.True(request.IsRawPrompt);
        Assert.Null(request.Messages);
        Assert.Same(options, request.Options);
        Assert.Equal(0, request.TopLogprobs);
    }
}

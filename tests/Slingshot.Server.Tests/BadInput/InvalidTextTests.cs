using System.Net.Http.Headers;
using System.Text;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.BadInput;

/// <summary>
/// Strings that are not text (invalid UTF-8 bytes, overlong and truncated sequences, an escaped lone surrogate)
/// are a 400 naming the field, wherever they are, never a 500.
/// </summary>
public sealed class InvalidTextTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    private const string Chat = """{"model":"stories","messages":[{"role":"user","content":"Hi CONTENT"}],"max_tokens":2,"stop":["STOP"],"user":"USER"}""";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "CONTENT", "FF", "messages[0].content" },
        { "CONTENT", "C0AF", "messages[0].content" },      // overlong "/"
        { "CONTENT", "E282", "messages[0].content" },      // truncated three-byte sequence
        { "CONTENT", "EDA080", "messages[0].content" },    // a surrogate encoded as UTF-8
        { "CONTENT", @"\ud800", "messages[0].content" },   // escaped lone high surrogate
        { "STOP", @"\udfff", "stop[0]" },                  // escaped lone low surrogate
        { "USER", "FF", "user" },                          // a field the server does not otherwise read
        { "stories", "73746F72696573FF", "model" },        // "stories" and a stray byte
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ChatCompletions_FieldNotValidText_400NamingIt(string placeholder, string replacement, string param)
    {
        var reply = await PostBytesAsync("/v1/chat/completions", Body(Chat, placeholder, replacement));

        Error(reply, 400, "invalid_request_error", "invalid_encoding", param);
    }

    [Fact]
    public async Task ChatCompletions_FieldNameNotValidText_400()
    {
        var reply = await PostBytesAsync("/v1/chat/completions", Body("""{"model":"stories","NAME":1,"messages":[]}""", "NAME", "FF"));

        Error(reply, 400, "invalid_request_error", "invalid_encoding");
    }

    [Fact]
    public async Task Completions_PromptNotValidText_400NamingPrompt()
    {
        var reply = await PostBytesAsync("/v1/completions", Body("""{"model":"stories","prompt":["ok","PROMPT"],"max_tokens":2}""", "PROMPT", "F0"));

        Error(reply, 400, "invalid_request_error", "invalid_encoding", "prompt[1]");
    }

    [Fact]
    public async Task ChatCompletions_ValidNonAsciiText_200()
    {
        var reply = await PostBytesAsync("/v1/chat/completions", Body(Chat, "CONTENT", @"é\u00e9😀\ud83d\ude00"));

        Assert.True(reply.Code == 200, reply.Body);
    }

    /// <summary>The template's bytes with <paramref name="placeholder"/> replaced by hex bytes, or by the text itself when it is no hex.</summary>
    private static byte[] Body(string template, string placeholder, string replacement)
    {
        var at = template.IndexOf(placeholder, StringComparison.Ordinal);
        var isHex = replacement.Length % 2 == 0 && replacement.All(Uri.IsHexDigit);
        var middle = isHex ? Convert.FromHexString(replacement) : Encoding.UTF8.GetBytes(replacement);
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. middle, .. Encoding.UTF8.GetBytes(template[(at + placeholder.Length)..])];
    }

    private async Task<Reply> PostBytesAsync(string path, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await server.Http.PostAsync(path, content);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }
}

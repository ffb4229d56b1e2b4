using System.Net.Http.Headers;
using System.Text;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.BadInput;

/// <summary>Malformed or invalid requests are 4xx in OpenAI's error format, naming the field at fault; nothing is a 5xx.</summary>
public sealed class RequestValidationTests(DefaultServerFixture server) : IClassFixture<DefaultServerFixture>
{
    private const string Messages = """[{"role": "user", "content": "Hi"}]""";
    private const string Model = ServerFixture.Model;

    [Theory]
    [InlineData("""{"model": """)]
    [InlineData("""{"model": "stories", "messages": [}""")]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("""{"model": "stories"} trailing""")]
    public async Task ChatCompletions_MalformedJson_400InvalidJson(string body)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Error(reply, 400, "invalid_request_error", "invalid_json");
        await AssertHealthyAsync();
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("null")]
    [InlineData("\"a string\"")]
    public async Task ChatCompletions_BodyNotAnObject_400(string body)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Error(reply, 400, "invalid_request_error");
    }

    [Fact]
    public async Task ChatCompletions_NestedTooDeep_400NotACrash()
    {
        var body = $$"""{"model": "stories", "messages": {{Messages}}, "metadata": {{new string('[', 5000)}}{{new string(']', 5000)}}}""";

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Error(reply, 400, code: "invalid_json");
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task ChatCompletions_InvalidUtf8_400()
    {
        using var content = new ByteArrayContent([.. "{\"model\": \""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await server.Http.PostAsync("/v1/chat/completions", content);

        Error(new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response), 400);
    }

    [Theory]
    [InlineData("model", "5")]
    [InlineData("messages", "\"Hi\"")]
    [InlineData("max_tokens", "\"ten\"")]
    [InlineData("max_tokens", "1e30")]
    [InlineData("max_completion_tokens", "2.5")]
    [InlineData("n", "\"3\"")]
    [InlineData("temperature", "\"hot\"")]
    [InlineData("top_p", "true")]
    [InlineData("stream", "\"yes\"")]
    [InlineData("stop", "5")]
    [InlineData("stop", "[\"a\", 1]")]
    [InlineData("seed", "1.5")]
    [InlineData("logprobs", "\"yes\"")]
    [InlineData("presence_penalty", "\"x\"")]
    [InlineData("frequency_penalty", "[]")]
    [InlineData("response_format", "\"json\"")]
    [InlineData("user", "5")]
    public async Task ChatCompletions_WrongType_400NamingTheField(string field, string json)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", ChatBody(field, json));

        Error(reply, 400, "invalid_request_error", param: field);
    }

    [Theory]
    [InlineData("temperature", "2.5")]
    [InlineData("top_p", "-0.1")]
    [InlineData("n", "0")]
    [InlineData("max_tokens", "0")]
    [InlineData("seed", "-1")]
    [InlineData("presence_penalty", "3")]
    [InlineData("stop", "[\"a\", \"b\", \"c\", \"d\", \"e\"]")]
    public async Task ChatCompletions_OutOfRange_400NamingTheField(string field, string json)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", ChatBody(field, json));

        Error(reply, 400, "invalid_request_error", param: field);
    }

    [Theory]
    [InlineData("""[{"role": "robot", "content": "Hi"}]""", "messages[0].role")]
    [InlineData("""[{"role": "user", "content": "Hi"}, {"role": "tool", "content": "42"}]""", "messages[1].tool_call_id")]
    [InlineData("""[{"content": "Hi"}]""", "messages[0].role")]
    [InlineData("""[{"role": "user", "content": 5}]""", "messages[0].content")]
    [InlineData("""[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://x"}}]}]""", "messages[0].content")]
    [InlineData("""["Hi"]""", "messages[0]")]
    [InlineData("""[]""", "messages")]
    public async Task ChatCompletions_InvalidMessage_400NamingIt(string messages, string param)
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", $$"""{"model": "{{Model}}", "messages": {{messages}}}""");

        Error(reply, 400, "invalid_request_error", param: param);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/completions")]
    public async Task NAboveTheModelsSequencesButWithinLimit_400N(string path)
    {
        var n = server.Options.Models[0].Sequences + 1;
        Assert.True(n <= server.Options.Limits.MaxN);
        var body = $$"""{"model": "{{Model}}", "messages": {{Messages}}, "prompt": "Once", "max_tokens": 2, "n": {{n}}}""";

        var reply = await server.Http.PostJsonAsync(path, body);

        Error(reply, 400, "invalid_request_error", param: "n");
    }

    [Fact]
    public async Task ChatCompletions_TextContentParts_Accepted()
    {
        var body = $$"""{"model": "{{Model}}", "max_tokens": 3, "messages": [{"role": "developer", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "Once "}, {"type": "text", "text": "upon"}]}]}""";

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(200, reply.Code);
    }

    [Fact]
    public async Task ChatCompletions_UnknownFields_IgnoredAs200()
    {
        var body = $$"""
            {"model": "{{Model}}", "messages": {{Messages}}, "max_tokens": 3, "service_tier": "auto", "store": false,
             "metadata": {"a": "b"}, "parallel_tool_calls": true, "x_future_field": [1, {"deep": null}]}
            """;

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Assert.Equal(200, reply.Code);
        ChatCompletion(reply.Json, Model, 1, logprobs: false);
    }

    [Fact]
    public async Task ChatCompletions_JsonSchemaResponseFormat_OutputMatchesTheSchema()
    {
        const string schema = """
            {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "mood": {"enum": ["happy", "sad"]},
             "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}}, "required": ["name", "age", "mood", "tags"]}
            """;
        var body = ChatBody("response_format", $$$"""{"type": "json_schema", "json_schema": {"name": "person", "schema": {{{schema}}}}}""");

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Assert.True(reply.Code == 200, reply.Body);
        var content = reply.Json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        if (reply.Json.GetProperty("choices")[0].GetProperty("finish_reason").GetString() == "stop")
        {
            using var json = System.Text.Json.JsonDocument.Parse(content);
            Assert.Equal(System.Text.Json.JsonValueKind.String, json.RootElement.GetProperty("name").ValueKind);
            Assert.True(json.RootElement.GetProperty("age").TryGetInt64(out _));
            Assert.Contains(json.RootElement.GetProperty("mood").GetString(), new[] { "happy", "sad" });
            Assert.InRange(json.RootElement.GetProperty("tags").GetArrayLength(), 0, 2);
        }
        else
        {
            Assert.StartsWith("{", content.TrimStart(), StringComparison.Ordinal); // cut by max_tokens, but on the grammar's path
        }
    }

    [Theory]
    [InlineData("""{"type": "object"}""", null)]
    [InlineData("""{"type": "string", "pattern": "^a+$"}""", null)]
    [InlineData("""{"type": "string", "pattern": "a+"}""", "pattern")]
    [InlineData("""{"type": "number", "maximum": 3}""", "maximum")]
    [InlineData("""{"$ref": "#/defs/x"}""", "$ref")]
    public async Task ChatCompletions_JsonSchemaAGrammarCannotEnforce_400NamingTheKeyword(string schema, string? keyword)
    {
        var body = ChatBody("response_format", $$$"""{"type": "json_schema", "json_schema": {"name": "x", "schema": {{{schema}}}}}""");

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        if (keyword is null)
        {
            Assert.True(reply.Code == 200, reply.Body);
            return;
        }
        Error(reply, 400, "invalid_request_error", param: "response_format");
        Assert.Contains(keyword, reply.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"top_logprobs": 2}""", "top_logprobs")]
    [InlineData("""{"logprobs": true, "top_logprobs": 21}""", "top_logprobs")]
    [InlineData("""{"stream_options": {"include_usage": true}}""", "stream_options")]
    [InlineData("""{"stream": true, "stream_options": 1}""", "stream_options")]
    public async Task ChatCompletions_InconsistentOptions_400NamingTheField(string extra, string param)
    {
        var body = $$"""{"model": "{{Model}}", "messages": {{Messages}}, {{extra[1..^1]}}}""";

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Error(reply, 400, "invalid_request_error", param: param);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task ChatCompletions_NonJsonContentType_400(string contentType)
    {
        using var content = new StringContent($$"""{"model": "{{Model}}", "messages": {{Messages}}}""");
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        var response = await server.Http.PostAsync("/v1/chat/completions", content);

        Error(new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response), 400, code: "invalid_content_type");
    }

    [Fact]
    public async Task ChatCompletions_UnknownModel_404ModelNotFound()
    {
        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(model: "gpt-4o"));

        Error(reply, 404, "invalid_request_error", "model_not_found", "model");
    }

    [Theory]
    [InlineData("""{"model": "stories"}""", "prompt")]
    [InlineData("""{"model": "stories", "prompt": 5}""", "prompt")]
    [InlineData("""{"model": "stories", "prompt": []}""", "prompt")]
    [InlineData("""{"model": "stories", "prompt": ["a", 1]}""", "prompt")]
    [InlineData("""{"model": "stories", "prompt": "a", "echo": "yes"}""", "echo")]
    [InlineData("""{"model": "stories", "prompt": "a", "logprobs": true}""", "logprobs")]
    [InlineData("""{"model": "stories", "prompt": "a", "logprobs": 6}""", "logprobs")]
    [InlineData("""{"model": "stories", "prompt": ["a", "b"], "stream": true}""", "prompt")]
    public async Task Completions_InvalidRequest_400NamingTheField(string body, string param)
    {
        var reply = await server.Http.PostJsonAsync("/v1/completions", body);

        Error(reply, 400, "invalid_request_error", param: param);
    }

    [Fact]
    public async Task Completions_UnknownModel_404()
    {
        var reply = await server.Http.PostJsonAsync("/v1/completions", """{"model": "davinci", "prompt": "a"}""");

        Error(reply, 404, code: "model_not_found");
    }

    [Fact]
    public async Task ChatCompletions_WrongMethod_ClientErrorNotServerError()
    {
        var reply = await server.Http.GetReplyAsync("/v1/chat/completions");

        Assert.InRange(reply.Code, 400, 499);
    }

    /// <summary>A valid chat request body with one field set to raw JSON.</summary>
    private static string ChatBody(string field, string json)
    {
        var fields = new Dictionary<string, string> { ["model"] = $"\"{Model}\"", ["messages"] = Messages, [field] = json };
        return "{" + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
    }

    private async Task AssertHealthyAsync()
    {
        var health = await server.Http.GetReplyAsync("/health");
        Assert.Equal(200, health.Code);
    }
}

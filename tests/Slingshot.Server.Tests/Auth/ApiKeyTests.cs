using System.Net.Http.Headers;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.Auth;

/// <summary>With API keys configured, every endpoint but /health wants one of them as a bearer token.</summary>
public sealed class ApiKeyTests(ApiKeyServerFixture server) : IClassFixture<ApiKeyServerFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Bearer ")]
    [InlineData("Basic dGVzdC1rZXktb25lOg==")]
    [InlineData("test-key-one")]
    [InlineData("Bearer test-key-one-and-more")]
    [InlineData("Bearertest-key-one")]
    [InlineData("Bearer-x test-key-one")]
    public async Task ChatCompletions_MissingOrWrongKey_401InOpenAiFormat(string? authorization)
    {
        using var http = Anonymous(authorization);

        var reply = await http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 2));

        Error(reply, 401, "authentication_error", "invalid_api_key");
        Assert.Contains(reply.Message.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/metrics")]
    [InlineData("/v1/nothing-here")]
    public async Task OtherEndpoints_WithoutKey_401(string path)
    {
        using var http = Anonymous(null);

        var reply = await http.GetReplyAsync(path);

        Error(reply, 401, "authentication_error");
    }

    [Fact]
    public async Task Health_WithoutKey_OpenForProbes()
    {
        using var http = Anonymous(null);

        var reply = await http.GetReplyAsync("/health");

        Assert.Equal(200, reply.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task ChatCompletions_AnyConfiguredKey_200(int key)
    {
        using var http = Anonymous($"Bearer {ApiKeyServerFixture.Keys[key]}");

        var reply = await http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 2));

        Assert.Equal(200, reply.Code);
        ChatCompletion(reply.Json, ServerFixture.Model, 1, logprobs: false);
    }

    [Theory]
    [InlineData("bearer test-key-one")]
    [InlineData("BEARER test-key-two")]
    [InlineData("bEaReR  test-key-one ")]
    public async Task ChatCompletions_SchemeInAnyCase_200(string authorization)
    {
        using var http = Anonymous(authorization);

        var reply = await http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 2));

        Assert.True(reply.Code == 200, reply.Body);
    }

    [Fact]
    public async Task UnknownModel_WithoutKey_401BeforeAnythingElse()
    {
        using var http = Anonymous(null);

        var reply = await http.PostJsonAsync("/v1/chat/completions", "not even json");

        Error(reply, 401, "authentication_error");
    }

    private HttpClient Anonymous(string? authorization)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }
        return http;
    }
}

using System.ClientModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Slingshot.Gguf;
using Slingshot.Server.Configuration;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Clients;

/// <summary>
/// Random-weight stand-ins of real families (their real tokenizers and chat templates from the pinned llama.cpp
/// source), served: Llama 3.2 (bare JSON calls).
/// </summary>
public sealed class ToolServerFixture : ServerFixture
{
    public static readonly (string Name, string Architecture, string Vocabulary, string Template)[] Families =
    [
        ("llama32", "llama", "llama-bpe", "meta-llama-Llama-3.2-3B-Instruct"),
    ];

    private static readonly string Folder = Directory.CreateTempSubdirectory("slingshot-tool-models-").FullName;

    /// <summary>The pinned llama.cpp source the build fetched (artifacts/llama/&lt;version&gt;/src).</summary>
    public static string LlamaModels => Path.Combine(
        Directory.GetDirectories(Path.Combine(TestPaths.RepoRoot, "artifacts", "llama")).Single(d => File.Exists(Path.Combine(d, "src", ".complete"))),
        "src", "models");

    protected override void Configure(ServerOptions options)
    {
        foreach (var (name, architecture, vocabulary, template) in Families)
        {
            var path = Path.Combine(Folder, name + ".gguf");
            StandInModelWriter.Write(path, LlamaShape.Parse("tiny"), new StandInModelOptions
            {
                Architecture = architecture,
                VocabularyPath = Path.Combine(LlamaModels, $"ggml-vocab-{vocabulary}.gguf"),
                ChatTemplate = File.ReadAllText(Path.Combine(LlamaModels, "templates", template + ".jinja")),
            });
            options.Models.Add(new LocalModelOptions { Name = name, Path = path, Threads = 1, ContextSize = 2048, Sequences = 2 });
        }
    }
}

/// <summary>Tool calling over real HTTP: the official openai npm client, and the .NET OpenAI client under
/// <see cref="FunctionInvokingChatClient"/>.</summary>
public sealed class ToolCallingTests(ToolServerFixture server, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ToolServerFixture>
{
    [Fact]
    public async Task OpenAiNodeSdk_ToolRoundTrips_CallResultAndAnswerOnEveryFamily()
    {
        var result = await NodeClient.RunAsync("tools.mjs", new Dictionary<string, string>
        {
            ["SLINGSHOT_BASE_URL"] = server.BaseUrl + "/v1",
            ["SLINGSHOT_MODELS"] = string.Join(',', ToolServerFixture.Families.Select(f => f.Name)),
        });
        var summary = JsonDocument.Parse(result.Trim().Split('\n')[^1]).RootElement;
        output.WriteLine(summary.ToString());

        foreach (var (name, _, _, _) in ToolServerFixture.Families)
        {
            var model = summary.GetProperty("models").GetProperty(name);
            foreach (var mode in new[] { "plain", "stream" })
            {
                var trip = model.GetProperty(mode);
                var where = $"{name} {mode}: {trip}";
                Assert.True(trip.GetProperty("finish").GetString() == "tool_calls", where);
                Assert.True(trip.GetProperty("calls").GetInt32() == 1, where);
                Assert.True(trip.GetProperty("id").GetString()?.Length > 0, where);
                Assert.True(trip.GetProperty("name").GetString() is "get_weather" or "get_time", where);
                Assert.Contains(trip.GetProperty("arguments").GetProperty("city").GetString(), new[] { "Paris", "Rome" });
                // The tools are in the prompt: far more tokens than the bare question, and the answer's prompt holds the call and result.
                Assert.True(trip.GetProperty("promptTokens").GetInt32() > model.GetProperty("promptTokensWithoutTools").GetInt32() + 50, where);
                Assert.True(trip.GetProperty("answerPromptTokens").GetInt32() > trip.GetProperty("promptTokens").GetInt32(), where);
                Assert.True(trip.GetProperty("answerCalls").GetInt32() == 0 && trip.GetProperty("answerHasContent").GetBoolean(), where);
                Assert.True(trip.GetProperty("answerFinish").GetString() is "stop" or "length", where);
            }
            Assert.Equal(["get_time"], model.GetProperty("named").EnumerateArray().Select(n => n.GetString()));
        }
        Assert.Equal(400, summary.GetProperty("unknownFunction").GetProperty("status").GetInt32());
        Assert.Equal("tool_choice", summary.GetProperty("unknownFunction").GetProperty("param").GetString());
        Assert.Equal(400, summary.GetProperty("toolMessageWithoutId").GetProperty("status").GetInt32());
        Assert.Equal("messages[2].tool_call_id", summary.GetProperty("toolMessageWithoutId").GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("{\"city\": \"Par")]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public async Task ChatCompletions_AssistantCallWithArgumentsNotAJsonObject_IsAcceptedAsOpenAiAcceptsIt(string arguments)
    {
        // What the server itself returns when max_tokens cuts a call (finish_reason "length"), sent back as OpenAI clients send it.
        var body = JsonSerializer.Serialize(new
        {
            model = "llama32",
            max_tokens = 2,
            messages = new object[]
            {
                new { role = "user", content = "What is the weather in Paris?" },
                new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = "call_1", type = "function", function = new { name = "get_weather", arguments } } } },
                new { role = "tool", tool_call_id = "call_1", content = "sunny" },
            },
        });

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", body);

        Assert.True(reply.Code == 200, reply.Body);
        Assert.True(reply.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 10, reply.Body);
    }

    [Theory]
    [InlineData("llama32", false)]
    [InlineData("llama32", true)]
    public async Task FunctionInvokingChatClient_OverTheDotNetOpenAiClient_InvokesTheFunctionAndAnswers(string model, bool streaming)
    {
        var calls = new List<string>();
        var weather = AIFunctionFactory.Create((Town city) => { calls.Add(city.ToString()); return "sunny, 21 C"; }, "get_weather", "The weather in a city");
        using var client = new OpenAI.Chat.ChatClient(model, new ApiKeyCredential("k"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl + "/v1") })
            .AsIChatClient().AsBuilder().UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 2).Build();
        var options = new ChatOptions { Tools = [weather], ToolMode = ChatToolMode.RequireAny, MaxOutputTokens = 48, Temperature = 0.8f, Seed = 3 };
        List<ChatMessage> conversation = [new(ChatRole.User, "What is the weather in Paris?")];

        var response = streaming
            ? await client.GetStreamingResponseAsync(conversation, options).ToChatResponseAsync()
            : await client.GetResponseAsync(conversation, options);

        Assert.NotEmpty(calls);
        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().First();
        var result = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().First();
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal("sunny, 21 C", result.Result?.ToString());
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
    }

    /// <summary>The cities the function knows: an enum parameter, so the grammar-forced call is short and always ends.</summary>
    public enum Town
    {
        Paris,
        Rome,
    }
}

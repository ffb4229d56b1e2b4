using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Gguf;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Templates;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="FunctionInvokingChatClient"/> over <see cref="LlamaChatClient"/> on random-weight
/// stand-ins of real families (their real tokenizers and templates): a required call is forced by the format's grammar,
/// parsed into a <see cref="FunctionCallContent"/>, invoked, its result rendered back through the template, and the model
/// answers.
/// </summary>
public sealed class FunctionInvocationTests
{
    /// <summary>A function whose one parameter is an enum, so a grammar-forced call is short and always finishes.</summary>
    private sealed class WeatherFunction : AIFunction
    {
        private static readonly JsonElement Schema = JsonDocument.Parse(
            """{"type": "object", "properties": {"city": {"type": "string", "enum": ["Paris", "Rome"]}}, "required": ["city"]}""").RootElement.Clone();

        public List<string?> Calls { get; } = [];

        public override string Name => "get_weather";

        public override string Description => "The weather in a city";

        public override JsonElement JsonSchema => Schema;

        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            Calls.Add(arguments.TryGetValue("city", out var city) ? city?.ToString() : null);
            return ValueTask.FromResult<object?>("sunny, 21 C");
        }
    }

    /// <summary>Architecture, vocabulary, pinned template, and whether to stream.</summary>
    public static TheoryData<string, string, string, bool> Families => new()
    {
        { "llama", "llama-bpe", "meta-llama-Llama-3.2-3B-Instruct", false },
        { "llama", "llama-bpe", "meta-llama-Llama-3.2-3B-Instruct", true },
    };

    internal static string StandIn(string architecture, string vocabulary, string template)
    {
        var path = GeneratedModels.TempFile($"tools-{architecture}-{vocabulary}-{template}.gguf");
        if (!File.Exists(path))
        {
            StandInModelWriter.Write(path, LlamaShape.Parse("tiny"), new StandInModelOptions
            {
                Architecture = architecture,
                VocabularyPath = Path.Combine(LlamaSource.Directory, "models", $"ggml-vocab-{vocabulary}.gguf"),
                ChatTemplate = File.ReadAllText(Path.Combine(LlamaSource.Directory, "models", "templates", template + ".jinja")),
            });
        }
        return path;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task FunctionInvokingChatClient_RequiredToolOnStandIn_CallsTheFunctionThenAnswers(string architecture, string vocabulary, string template, bool streaming)
    {
        using var engine = LlamaEngine.Load(StandIn(architecture, vocabulary, template), new EngineOptions { ContextSize = 2048, MaxSequences = 1 });
        var weather = new WeatherFunction();
        using var client = new LlamaChatClient(engine).AsBuilder().UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 2).Build();
        var options = new ChatOptions
        {
            Tools = [weather],
            ToolMode = ChatToolMode.RequireAny,
            MaxOutputTokens = 48,
            Temperature = 0.8f,
            Seed = 7,
            // The thinking part of a random model never ends; the call is what is tested here.
            AdditionalProperties = new() { ["enable_thinking"] = false },
        };
        List<ChatMessage> conversation = [new(ChatRole.User, "What is the weather in Paris?")];

        var response = streaming
            ? await client.GetStreamingResponseAsync(conversation, options).ToChatResponseAsync()
            : await client.GetResponseAsync(conversation, options);

        var city = Assert.Single(weather.Calls);
        Assert.True(city is "Paris" or "Rome", $"the call's city is '{city}'");
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Take(1));
        Assert.Equal("get_weather", call.Name);
        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Take(1));
        Assert.Equal(call.CallId, result.CallId);
        // After the result the tool mode is back to auto: the model answered (whatever a random model says) or called again.
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role);
        Assert.True(response.Usage?.InputTokenCount > 0);
    }

    [Fact]
    public void PrepareChat_ToolsAndHistoryWithCallAndResult_RenderThemWithTheTemplate()
    {
        using var engine = LlamaEngine.Load(StandIn("qwen2", "qwen2", "Qwen-Qwen2.5-7B-Instruct"), new EngineOptions { ContextSize = 2048, MaxSequences = 1 });
        var client = new LlamaChatClient(engine);
        var tools = new ChatOptions { Tools = [new WeatherFunction()] };
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Weather in Paris?"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "sunny")]),
        ];

        var plain = client.PrepareChat([history[0]], null, 1, null);
        var withTools = client.PrepareChat(history, tools, 1, null);

        Assert.DoesNotContain("get_weather", plain.Request.Prompt);
        var prompt = withTools.Request.Prompt!;
        Assert.Contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"", prompt);
        Assert.Contains("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", prompt);
        Assert.Contains("<tool_response>\nsunny\n</tool_response>", prompt);
        Assert.True(withTools.Reader.ParsesReply);
        Assert.NotNull(withTools.Request.Sampling.GrammarTriggers);
    }

    [Fact]
    public void PrepareChat_RequiredFunctionNotAmongTheTools_IsRefusedNamingIt()
    {
        using var engine = LlamaEngine.Load(StandIn("qwen2", "qwen2", "Qwen-Qwen2.5-7B-Instruct"), new EngineOptions { ContextSize = 512, MaxSequences = 1 });
        var client = new LlamaChatClient(engine);

        var error = Assert.Throws<ArgumentException>(() => client.PrepareChat([new(ChatRole.User, "Hi")],
            new ChatOptions { Tools = [new WeatherFunction()], ToolMode = ChatToolMode.RequireSpecific("get_time") }, 1, null));

        Assert.Contains("'get_time'", error.Message);
    }
}

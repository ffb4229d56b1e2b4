using System.Text.Json.Nodes;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Templates;

/// <summary>
/// Tool calls rendered into the prompt and parsed back out of replies with llama.cpp's own formats, for the families'
/// real templates: each family's call syntax, as its models write it, comes back as the same (name, arguments).
/// </summary>
public sealed class ToolCallFormatTests
{
    private static readonly JsonArray Tools = JsonNode.Parse("""
        [{"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
          "parameters": {"type": "object", "properties": {"city": {"type": "string", "enum": ["Paris", "Rome"]}}, "required": ["city"]}}}]
        """)!.AsArray();

    private static JinjaChatTemplate Template(string name, string bos = "", string eos = "") =>
        JinjaChatTemplate.Parse(File.ReadAllText(Path.Combine(LlamaSource.Directory, "models", "templates", name + ".jinja")), bos, eos);

    private static ChatPrompt Render(JinjaChatTemplate template, string? choice = null) => template.Apply(new ChatTemplateRequest
    {
        Messages = JsonNode.Parse("""[{"role": "user", "content": "Weather in Paris?"}]""")!.AsArray(),
        Tools = Tools,
        ToolChoice = choice,
        ReasoningFormat = "auto",
    });

    /// <summary>Template, BOS, EOS, and a reply in the family's own call syntax.</summary>
    public static TheoryData<string, string, string, string> Replies => new()
    {
        // Hermes / Qwen 2.5: a JSON object inside <tool_call> tags.
        { "Qwen-Qwen2.5-7B-Instruct", "", "<|im_end|>", "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>" },
        { "NousResearch-Hermes-3-Llama-3.1-8B-tool_use", "<|begin_of_text|>", "<|eot_id|>", "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>" },
        // Llama 3.x: a bare JSON object with "parameters".
        { "meta-llama-Llama-3.1-8B-Instruct", "<|begin_of_text|>", "<|eot_id|>", "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}" },
        { "meta-llama-Llama-3.2-3B-Instruct", "<|begin_of_text|>", "<|eot_id|>", "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}" },
        // Mistral: [TOOL_CALLS] and a JSON array.
        { "mistralai-Mistral-Nemo-Instruct-2407", "<s>", "</s>", "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"abcdef123\"}]" },
        // DeepSeek R1: its own call markers around a fenced JSON block, after the thinking its prompt opens.
        { "llama-cpp-deepseek-r1", "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>",
          "Look it up.\n</think>\n\n<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"Paris\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>" },
        // gpt-oss: a commentary-channel message addressed to the function.
        { "openai-gpt-oss-120b", "<|startoftext|>", "<|return|>", "<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\": \"Paris\"}" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void ParseReply_FamilyCallSyntax_GivesTheCall(string name, string bos, string eos, string reply)
    {
        using var template = Template(name, bos, eos);
        var prompt = Render(template);

        Assert.Contains("get_weather", prompt.Prompt);
        var parsed = ChatReply.Parse(prompt, reply, isPartial: false, "auto");

        var call = Assert.Single(parsed.ToolCalls);
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", (string?)JsonNode.Parse(call.Arguments)!["city"]);
        // The model's own id where its format has one (Mistral), else one made up as llama-server makes one up.
        Assert.False(string.IsNullOrEmpty(call.Id));
    }

    [Fact]
    public void Apply_RequiredToolChoice_GivesAGrammarFromTheFirstToken()
    {
        using var template = Template("Qwen-Qwen2.5-7B-Instruct", "", "<|im_end|>");

        var auto = Render(template);
        var required = Render(template, "required");

        Assert.True(auto.GrammarLazy);
        Assert.NotEmpty(auto.GrammarTriggers);
        Assert.False(required.GrammarLazy);
        Assert.Contains("get_weather", required.Grammar);
    }

    [Fact]
    public void ParseReply_ThinkingTemplate_SplitsReasoningFromTheAnswer()
    {
        using var template = Template("Qwen-Qwen3-0.6B", "", "<|im_end|>");
        var prompt = template.Apply(new ChatTemplateRequest
        {
            Messages = JsonNode.Parse("""[{"role": "user", "content": "2+2?"}]""")!.AsArray(),
            ReasoningFormat = "auto",
        });

        var parsed = ChatReply.Parse(prompt, "<think>\nTwo and two.\n</think>\n\nFour.", isPartial: false, "auto");

        Assert.Equal("Two and two.", parsed.Reasoning.Trim());
        Assert.Equal("Four.", parsed.Content.Trim());
    }

    [Fact]
    public void ReplyStream_HermesCallInPieces_SendsTheNameOnceThenArgumentGrowth()
    {
        using var template = Template("Qwen-Qwen2.5-7B-Instruct", "", "<|im_end|>");
        var stream = new ChatReplyStream(Render(template), "auto");
        var pieces = new[] { "<tool_call>\n{\"name\": \"get_weather\", ", "\"arguments\": {\"city\": \"Pa", "ris\"}}\n</tool_call>" };

        var deltas = pieces.Select((p, i) => stream.Append(p, final: i == pieces.Length - 1)).ToList();

        var calls = deltas.SelectMany(d => d.ToolCalls).ToList();
        Assert.Single(calls, c => c.Name is not null);
        Assert.All(calls, c => Assert.Equal(0, c.Index));
        var first = calls.First(c => c.Name is not null);
        Assert.Equal("get_weather", first.Name);
        Assert.StartsWith("call_", first.Id);
        Assert.Equal("{\"city\":\"Paris\"}", string.Concat(calls.Select(c => c.Arguments)).Replace(" ", "", StringComparison.Ordinal));
        Assert.All(deltas, d => Assert.Equal("", d.Content));
        Assert.Equal(first.Id, stream.Current.ToolCalls[0].Id);
    }
}

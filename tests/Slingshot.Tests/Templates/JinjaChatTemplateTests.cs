using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Slingshot.Gguf;
using Slingshot.Native;
using Slingshot.Native.Interop;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Templates;

public sealed class JinjaChatTemplateTests
{
    private static string PinnedTemplate(string name) =>
        File.ReadAllText(Path.Combine(LlamaSource.Directory, "models", "templates", name + ".jinja"));

    private static string ModelWithTemplate(string name, string template)
    {
        var path = GeneratedModels.TempFile(name + ".gguf");
        RandomModelWriter.Write(path, LlamaShape.Parse("tiny"), new RandomModelOptions { ChatTemplate = template });
        return path;
    }

    [Fact]
    public void Render_Llama31_KeepsTheCuttingKnowledgeAndTodayDateHeader()
    {
        using var template = JinjaChatTemplate.Parse(PinnedTemplate("meta-llama-Llama-3.1-8B-Instruct"), "<|begin_of_text|>", "<|eot_id|>");

        var prompt = template.Render([new("system", "Be brief."), new("user", "Hi")]);

        // llama-server passes today's date as date_string (local time), as the template's makers intend.
        var today = DateTime.Now.ToString("dd MMM yyyy", CultureInfo.InvariantCulture);
        Assert.StartsWith("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: " + today + "\n\nBe brief.<|eot_id|>", prompt);
        Assert.EndsWith("<|start_header_id|>assistant<|end_header_id|>\n\n", prompt);
    }

    [Fact]
    public void Render_Qwen25WithoutSystemMessage_AddsItsDefaultSystemPrompt()
    {
        using var template = JinjaChatTemplate.Parse(PinnedTemplate("Qwen-Qwen2.5-7B-Instruct"));

        var prompt = template.Render([new("user", "Hi")]);

        Assert.Equal("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public void Render_Gemma2WithSystemMessage_RefusesInsteadOfMovingIt()
    {
        using var template = JinjaChatTemplate.Parse(PinnedTemplate("google-gemma-2-2b-it"), "<bos>", "<eos>");

        var error = Assert.Throws<InvalidRequestException>(() => template.Render([new("system", "Be brief."), new("user", "Hi")]));

        Assert.Contains("no system role", error.Message);
        Assert.False(template.Capabilities.SupportsSystemRole);
        Assert.Equal("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n", template.Render([new("user", "Hi")]));
    }

    [Fact]
    public void Render_TemplateThatRaises_ThrowsItsOwnMessage()
    {
        using var template = JinjaChatTemplate.Parse("{{ raise_exception('Only user messages, please.') }}");

        var error = Assert.Throws<InvalidRequestException>(() => template.Render([new("user", "Hi")]));

        Assert.Contains("Only user messages, please.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Parse_MalformedTemplate_IsAOneLineError()
    {
        var error = Assert.Throws<SlingshotException>(() => JinjaChatTemplate.Parse("{% for m in %}{{ m }}"));

        Assert.StartsWith("Chat template:", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Apply_MalformedMessages_IsAOneLineErrorNotACrash()
    {
        using var template = JinjaChatTemplate.Parse(RandomModelOptions.ChatMLTemplate);

        var noRole = Assert.Throws<InvalidRequestException>(() => template.Apply(new ChatTemplateRequest { Messages = [new JsonObject { ["content"] = "Hi" }] }));
        var badContent = Assert.Throws<InvalidRequestException>(() => template.Apply(new ChatTemplateRequest { Messages = [new JsonObject { ["role"] = "user", ["content"] = 42 }] }));

        Assert.Contains("role", noRole.Message);
        Assert.Contains("content", badContent.Message);
    }

    [Fact]
    public void Apply_TemplateTextOverride_RendersExactlyWhereLlamaCppHeuristicsCannot()
    {
        using var model = LlamaModel.Load(GeneratedModels.TinyQ8);
        const string custom = "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}";

        var prompt = ChatTemplate.Apply(model, [new("user", "Hi")], template: custom);

        Assert.Equal("[user] Hi\n[assistant] ", prompt);
        // The same text through llama.cpp's hand-written formats is not recognised at all.
        Assert.Throws<SlingshotException>(() => ChatTemplate.Render(custom, [new("user", "Hi")]));
    }

    [Fact]
    public void Apply_BuiltInName_StillSelectsLlamaCppsFormat()
    {
        using var model = LlamaModel.Load(GeneratedModels.TinyQ8);

        var prompt = ChatTemplate.Apply(model, [new("user", "Hi")], template: "llama3");

        Assert.True(ChatTemplate.IsBuiltInName("llama3"));
        Assert.False(ChatTemplate.IsBuiltInName(RandomModelOptions.ChatMLTemplate));
        Assert.Equal("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", prompt);
    }

    [Fact]
    public void Load_TemplateThatCannotRender_IsReportedInModelInfoBeforeAnyRequest()
    {
        using var model = LlamaModel.Load(ModelWithTemplate("raising-template", "{{ raise_exception('This template renders nothing.') }}"));

        Assert.NotNull(model.Info.ChatTemplateError);
        Assert.Contains("This template renders nothing.", model.Info.ChatTemplateError);
        var error = Assert.Throws<InvalidRequestException>(() => ChatTemplate.Apply(model, [new("user", "Hi")]));
        Assert.Contains("This template renders nothing.", error.Message);
        // An override still works.
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.Apply(model, [new("user", "Hi")], template: "chatml"));
    }

    [Fact]
    public void Load_TemplateThatDoesNotParse_IsReportedInModelInfo()
    {
        using var model = LlamaModel.Load(ModelWithTemplate("unparsable-template", "{% if %}"));

        Assert.NotNull(model.Info.ChatTemplateError);
    }

    [Fact]
    public void Load_RenderableTemplate_HasNoError()
    {
        using var model = LlamaModel.Load(GeneratedModels.TinyQ8);

        Assert.Null(model.Info.ChatTemplateError);
    }

    [Fact]
    public void Apply_Qwen25WithTools_GivesAParserThatReadsItsToolCalls()
    {
        // What tool calling will build on: the prompt describes the tools, and the parser returned with it reads a
        // Hermes-style call back into an OpenAI tool call.
        using var template = JinjaChatTemplate.Parse(PinnedTemplate("Qwen-Qwen2.5-7B-Instruct"));
        var request = TemplateConversations.Request(TemplateConversations.All.Single(c => c.Name == "tools"));

        var prompt = template.Apply(request);
        var reply = JinjaChatTemplate.ParseReply(prompt, "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>", isPartial: false);

        Assert.Contains("<tools>", prompt.Prompt);
        Assert.NotEmpty(prompt.Parser);
        var call = reply["tool_calls"]![0]!["function"]!;
        Assert.Equal("get_weather", (string?)call["name"]);
        Assert.Equal("Paris", (string?)JsonNode.Parse((string)call["arguments"]!)!["city"]);
    }

    [Fact]
    public void Bridge_ExportsEveryDeclaredFunction_AndItsInterfaceVersion()
    {
        var path = ChatBridge.EnsureLoaded();
        var handle = NativeLibrary.Load(path);
        var declared = typeof(ChatBridgeNative).GetMethods()
            .Where(m => m.GetCustomAttributes(typeof(LibraryImportAttribute), false).Length > 0)
            .Select(m => m.Name)
            .ToArray();

        Assert.NotEmpty(declared);
        Assert.All(declared, name => Assert.True(NativeLibrary.TryGetExport(handle, name, out _), $"{name} is not exported by {path}"));
        Assert.Equal(ChatBridgeNative.AbiVersion, ChatBridgeNative.slingshot_chat_abi_version());
    }
}

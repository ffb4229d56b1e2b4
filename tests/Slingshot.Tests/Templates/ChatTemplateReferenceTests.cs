using System.Text;
using Slingshot.Tests.Support;
using Xunit.Abstractions;

namespace Slingshot.Tests.Templates;

/// <summary>
/// Every chat template of the pinned llama.cpp source (models/templates, the real templates of ~70 models), rendered by
/// Slingshot and by @huggingface/jinja with the same conversations and variables: byte-identical wherever the reference
/// can render, with each exception named and explained (docs/chat-templates.md lists them).
/// </summary>
public sealed class ChatTemplateReferenceTests(ITestOutputHelper output)
{
    /// <summary>Where Slingshot deliberately differs from the reference, and why.</summary>
    private static readonly Dictionary<(string Template, string Conversation), string> s_differences = new()
    {
        [("google-gemma-4-31B-it-interleaved", "toolcall")] =
            "llama.cpp rewrites tool results for this older Gemma 4 template into the tool_response form of Google's updated template (common/chat.cpp, convert_tool_responses_gemma4)",
    };

    /// <summary>Cases the reference itself cannot render, with the reason (the reference's error shows which).</summary>
    private static readonly Dictionary<string, (string[] Conversations, string Reason)> s_referenceRefuses = new()
    {
        ["Apriel-1.6-15b-Thinker-fixed"] = (["tools", "toolcall"], "the |string filter on objects is not implemented by @huggingface/jinja"),
        ["unsloth-Apriel-1.5"] = (["tools", "toolcall"], "the |string filter on objects is not implemented by @huggingface/jinja"),
        ["ByteDance-Seed-OSS"] = (["basic", "nosystem", "tools", "toolcall"], "integer dictionary keys are not supported by @huggingface/jinja"),
        ["CohereForAI-c4ai-command-r-plus-tool_use"] = (["basic", "nosystem"], "a tool-use template that loops over tools, given none (tools=None, as transformers passes)"),
        ["NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use"] = (["basic", "nosystem"], "a tool-use template that loops over tools, given none"),
        ["NousResearch-Hermes-3-Llama-3.1-8B-tool_use"] = (["basic", "nosystem"], "a tool-use template that loops over tools, given none"),
        ["meetkai-functionary-medium-v3.1"] = (["basic", "nosystem"], "the template filters tools with selectattr, given none"),
        ["meetkai-functionary-medium-v3.2"] = (["tools", "toolcall"], "tuple unpacking in a for loop is not supported by @huggingface/jinja"),
        ["Kimi-K2-Instruct"] = (["toolcall"], "list.pop() is not implemented by @huggingface/jinja"),
        ["Kimi-K2-Thinking"] = (["toolcall"], "list.pop() is not implemented by @huggingface/jinja"),
        ["openbmb-MiniCPM5-1B"] = (["toolcall"], "the |min filter is not implemented by @huggingface/jinja"),
        ["tencent-Hy3"] = (["basic", "nosystem", "tools", "toolcall"], "str.format() is not implemented by @huggingface/jinja"),
        ["fireworks-ai-llama-3-firefunction-v2"] = (["basic", "nosystem", "tools", "toolcall"], "needs the `functions` variable Fireworks' own API passes"),
        ["google-gemma-2-2b-it"] = (["basic", "tools", "toolcall"], "the template raises 'System role not supported'; Slingshot refuses the system message too"),
    };

    [Fact]
    public async Task Render_EveryPinnedTemplateAndConversation_EqualsHuggingFaceJinja()
    {
        var templates = Directory.GetFiles(Path.Combine(LlamaSource.Directory, "models", "templates"), "*.jinja").Order(StringComparer.Ordinal).ToArray();
        Assert.True(templates.Length >= 70, $"expected the ~70 pinned templates, found {templates.Length}");

        var cases = new List<(string Template, string Conversation, string? Ours, string? OurError)>();
        var referenceInputs = new List<(string, System.Text.Json.Nodes.JsonObject)>();
        foreach (var file in templates)
        {
            var source = await File.ReadAllTextAsync(file);
            var name = Path.GetFileNameWithoutExtension(file);
            using var template = JinjaChatTemplate.Parse(source, TemplateConversations.Bos, TemplateConversations.Eos);
            foreach (var conversation in TemplateConversations.All)
            {
                if (conversation.OnlyThinkingTemplates && !source.Contains("enable_thinking", StringComparison.Ordinal))
                {
                    continue;
                }
                try
                {
                    cases.Add((name, conversation.Name, template.Apply(TemplateConversations.Request(conversation)).Prompt, null));
                }
                catch (SlingshotException ex)
                {
                    cases.Add((name, conversation.Name, null, ex.Message));
                }
                referenceInputs.Add((source, TemplateConversations.ReferenceVariables(conversation)));
            }
        }
        var reference = await JinjaReference.RenderAsync(referenceInputs);

        int equal = 0;
        var report = new StringBuilder();
        var failures = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (name, conversation, ours, ourError) = cases[i];
            var expected = reference[i];
            var key = (name, conversation);
            if (expected.Ok && ours == expected.Text)
            {
                equal++;
                if (s_differences.ContainsKey(key))
                {
                    failures.Add($"{name}/{conversation}: listed as a difference but now equal");
                }
            }
            else if (expected.Ok && ours is not null)
            {
                report.AppendLine($"differs   {name}/{conversation}: {s_differences.GetValueOrDefault(key, "UNEXPLAINED")}");
                if (!s_differences.ContainsKey(key))
                {
                    failures.Add($"{name}/{conversation}: differs from the reference at {FirstDifference(ours, expected.Text!)}");
                }
            }
            else if (expected.Ok)
            {
                failures.Add($"{name}/{conversation}: the reference renders it, Slingshot fails: {ourError}");
            }
            else
            {
                var listed = s_referenceRefuses.TryGetValue(name, out var refused) && refused.Conversations.Contains(conversation);
                report.AppendLine($"reference {name}/{conversation}: {(listed ? refused.Reason : "UNEXPLAINED")} (reference: {expected.Error}; Slingshot: {(ours is null ? ourError : "renders")})");
                if (!listed)
                {
                    failures.Add($"{name}/{conversation}: the reference fails unexpectedly: {expected.Error}");
                }
            }
        }
        var refusedCount = s_referenceRefuses.Values.Sum(r => r.Conversations.Length);
        output.WriteLine($"{templates.Length} templates, {cases.Count} renderings: {equal} byte-identical, {s_differences.Count} deliberate differences, {refusedCount} the reference cannot render.");
        output.WriteLine(report.ToString());
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(cases.Count - s_differences.Count - refusedCount, equal);
    }

    private static string FirstDifference(string ours, string expected)
    {
        var at = 0;
        while (at < ours.Length && at < expected.Length && ours[at] == expected[at])
        {
            at++;
        }
        string Around(string text) => text.Substring(Math.Max(0, at - 40), Math.Min(text.Length, at + 40) - Math.Max(0, at - 40)).ReplaceLineEndings("\\n");
        return $"char {at}: ours '{Around(ours)}' vs reference '{Around(expected)}'";
    }
}

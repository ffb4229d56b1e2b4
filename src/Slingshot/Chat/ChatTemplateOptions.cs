using System.Text.Json.Nodes;

namespace Slingshot;

/// <summary>How <see cref="ChatTemplate.Apply(LlamaModel, IReadOnlyList{ChatTurn}, ChatTemplateOptions)"/> renders a conversation.</summary>
public sealed record ChatTemplateOptions
{
    /// <summary>End with the tokens that open the assistant's reply (default true).</summary>
    public bool AddGenerationPrompt { get; init; } = true;

    /// <summary>Override of the model's template: a built-in llama.cpp name ("chatml", "llama3", ...; see
    /// <see cref="ChatTemplate.BuiltInNames"/>) or a Jinja template text.</summary>
    public string? Template { get; init; }

    /// <summary>Used only when the model has no template and no override is given.</summary>
    public string? Fallback { get; init; }

    /// <summary>The thinking switch of reasoning templates (<c>enable_thinking</c>); null leaves the template's default.</summary>
    public bool? EnableThinking { get; init; }

    /// <summary>Extra template variables, for example <c>date_string</c>; ignored by built-in named templates.</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Variables { get; init; }
}

using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Server.Configuration;

namespace Slingshot.Server.OpenAi;

/// <summary>A parsed and validated chat or text completion request.</summary>
internal sealed record CompletionRequest
{
    public required string Model { get; init; }
    /// <summary>Chat messages (chat completions) or null for a text completion.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }
    /// <summary>Prompts of a text completion (one choice set per prompt).</summary>
    public IReadOnlyList<string>? Prompts { get; init; }
    public required ChatOptions Options { get; init; }
    public int N { get; init; } = 1;
    public bool Stream { get; init; }
    public bool IncludeUsage { get; init; }
    /// <summary>null = no log-probabilities; otherwise the number of alternatives per token.</summary>
    public int? TopLogprobs { get; init; }
    /// <summary>Text completions: return the prompt before the completion.</summary>
    public bool Echo { get; init; }
    /// <summary>The server's max_tokens for requests that set none (local models cut it to what fits the context).</summary>
    public int DefaultMaxTokens { get; init; }

    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool"];

    /// <summary>Parses /v1/chat/completions.</summary>
    public static CompletionRequest ParseChat(JsonElement body, ServerLimits limits)
    {
        RequireObject(body);
        var messages = ParseMessages(body, limits);
        var logprobs = JsonFields.Bool(body, "logprobs") ?? false;
        var top = JsonFields.Integer(body, "top_logprobs", 0, 20);
        if (top is not null && !logprobs)
        {
            throw ApiException.BadField("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.");
        }
        var request = Common(body, limits) with { Messages = messages, TopLogprobs = logprobs ? top ?? 0 : null };
        ToolFields.Apply(body, request.Options);
        return request;
    }

    /// <summary>Parses /v1/completions.</summary>
    public static CompletionRequest ParseText(JsonElement body, ServerLimits limits)
    {
        RequireObject(body);
        if (!body.TryGetProperty("prompt", out var prompt))
        {
            throw ApiException.BadField("prompt", "'prompt' is required.");
        }
        List<string> prompts = prompt.ValueKind switch
        {
            JsonValueKind.String => [prompt.GetString()!],
            JsonValueKind.Array when prompt.GetArrayLength() > 0 && prompt.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String)
                => prompt.EnumerateArray().Select(p => p.GetString()!).ToList(),
            _ => throw new ApiException(400, "Invalid type for 'prompt': expected a string or a non-empty array of strings.", param: "prompt", code: "invalid_type"),
        };
        if (prompts.Count > limits.MaxMessages)
        {
            throw ApiException.BadField("prompt", $"At most {limits.MaxMessages} prompts per request.");
        }
        var logprobs = JsonFields.Integer(body, "logprobs", 0, 5);
        return Common(body, limits) with { Prompts = prompts, TopLogprobs = logprobs, Echo = JsonFields.Bool(body, "echo") ?? false };
    }

    private static CompletionRequest Common(JsonElement body, ServerLimits limits)
    {
        var model = JsonFields.String(body, "model") ?? throw ApiException.BadField("model", "'model' is required.");
        var maxTokens = JsonFields.Integer(body, "max_completion_tokens", 1, limits.MaxTokens)
            ?? JsonFields.Integer(body, "max_tokens", 1, limits.MaxTokens);
        var options = new ChatOptions
        {
            Temperature = (float?)JsonFields.Number(body, "temperature", 0, 2),
            TopP = (float?)JsonFields.Number(body, "top_p", 0, 1),
            MaxOutputTokens = maxTokens,
            StopSequences = JsonFields.Stop(body).ToList(),
            Seed = JsonFields.Long(body, "seed"),
            PresencePenalty = (float?)JsonFields.Number(body, "presence_penalty", -2, 2),
            FrequencyPenalty = (float?)JsonFields.Number(body, "frequency_penalty", -2, 2),
            ResponseFormat = ResponseFormat(body),
        };
        if (options.Seed is < 0 or >= uint.MaxValue)
        {
            throw ApiException.BadField("seed", $"'seed' must be between 0 and {uint.MaxValue - 1}.");
        }
        _ = JsonFields.String(body, "user");
        var stream = JsonFields.Bool(body, "stream") ?? false;
        var includeUsage = false;
        if (body.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind != JsonValueKind.Null)
        {
            if (streamOptions.ValueKind != JsonValueKind.Object)
            {
                throw new ApiException(400, "Invalid type for 'stream_options': expected an object.", param: "stream_options", code: "invalid_type");
            }
            if (!stream)
            {
                throw ApiException.BadField("stream_options", "'stream_options' is only allowed when 'stream' is true.");
            }
            includeUsage = JsonFields.Bool(streamOptions, "include_usage") ?? false;
        }
        return new CompletionRequest
        {
            Model = model,
            Options = options,
            N = JsonFields.Integer(body, "n", 1, limits.MaxN) ?? 1,
            DefaultMaxTokens = limits.DefaultMaxTokens,
            Stream = stream,
            IncludeUsage = includeUsage,
        };
    }

    private static ChatResponseFormat? ResponseFormat(JsonElement body)
    {
        if (!body.TryGetProperty("response_format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (format.ValueKind != JsonValueKind.Object)
        {
            throw new ApiException(400, "Invalid type for 'response_format': expected an object.", param: "response_format", code: "invalid_type");
        }
        return JsonFields.String(format, "type") switch
        {
            "text" => null,
            "json_object" => ChatResponseFormat.Json,
            "json_schema" => JsonSchemaFormat(format),
            var other => throw ApiException.BadField("response_format", $"Unknown response_format type '{other}' (text, json_object)."),
        };
    }

    /// <summary><c>{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}</c>; the schema must be one a grammar can enforce.</summary>
    private static ChatResponseFormat JsonSchemaFormat(JsonElement format)
    {
        if (!format.TryGetProperty("json_schema", out var spec) || spec.ValueKind != JsonValueKind.Object
            || !spec.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.BadField("response_format", "'response_format.json_schema.schema' must be a JSON schema object.");
        }
        try
        {
            _ = JsonSchemaGrammar.FromSchema(schema);
        }
        catch (ArgumentException ex)
        {
            throw ApiException.BadField("response_format", ex.Message);
        }
        return ChatResponseFormat.ForJsonSchema(schema.Clone(), JsonFields.String(spec, "name"), JsonFields.String(spec, "description"));
    }

    private static List<ChatMessage> ParseMessages(JsonElement body, ServerLimits limits)
    {
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            throw new ApiException(400, "'messages' is required and must be an array.", param: "messages", code: "invalid_type");
        }
        var count = messages.GetArrayLength();
        if (count == 0 || count > limits.MaxMessages)
        {
            throw ApiException.BadField("messages", $"'messages' must hold between 1 and {limits.MaxMessages} messages (got {count}).");
        }
        var parsed = new List<ChatMessage>(count);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var param = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw new ApiException(400, $"Invalid type for '{param}': expected an object.", param: param, code: "invalid_type");
            }
            var role = JsonFields.String(message, "role") ?? throw ApiException.BadField($"{param}.role", $"'{param}.role' is required.");
            if (!Roles.Contains(role))
            {
                throw ApiException.BadField($"{param}.role", $"Unsupported role '{role}' in '{param}.role' (system, developer, user, assistant, tool).");
            }
            parsed.Add(ToolFields.Message(message, role, param, Content(message, param)));
        }
        return parsed;
    }

    /// <summary>A message's text: a string, or an array of text parts.</summary>
    private static string Content(JsonElement message, string param)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw new ApiException(400, $"Invalid type for '{param}.content': expected a string or an array of content parts.", param: $"{param}.content", code: "invalid_type");
        }
        var text = new System.Text.StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || JsonFields.String(part, "type") != "text")
            {
                throw ApiException.BadField($"{param}.content", $"Only text content parts are supported in '{param}.content'.");
            }
            text.Append(JsonFields.String(part, "text"));
        }
        return text.ToString();
    }

    private static void RequireObject(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ApiException(400, "The request body must be a JSON object.", code: "invalid_json");
        }
    }
}

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>Options of <see cref="LlamaChatClient"/>.</summary>
public sealed record LlamaChatClientOptions
{
    /// <summary>Overrides the model's chat template (a built-in name like "chatml", or a template text).</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Template used only when the model has none; null makes such a model an error.</summary>
    public string? FallbackChatTemplate { get; init; }

    /// <summary>Sampler settings used where <see cref="ChatOptions"/> says nothing.</summary>
    public SamplerSettings DefaultSampling { get; init; } = new();

    /// <summary>Model id reported in responses; default the file name.</summary>
    public string? ModelId { get; init; }
}

/// <summary>
/// The local engine as a Microsoft.Extensions.AI <see cref="IChatClient"/>: messages are rendered with the
/// model's own chat template, ChatOptions map onto sampler settings, and usage is reported. Also an
/// <see cref="ISampleGenerator"/> for n forked samples of one prompt.
/// </summary>
public sealed class LlamaChatClient : IChatClient, ISampleGenerator
{
    private readonly LlamaEngine _engine;
    private readonly LlamaChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates a chat client over an engine (which the client does not own).</summary>
    public LlamaChatClient(LlamaEngine engine, LlamaChatClientOptions? options = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _options = options ?? new LlamaChatClientOptions();
        ModelId = _options.ModelId ?? Path.GetFileNameWithoutExtension(engine.Model.Path);
        _metadata = new ChatClientMetadata("slingshot", null, ModelId);
    }

    /// <summary>The model id reported in responses.</summary>
    public string ModelId { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prepared = PrepareChat(messages, options, 1, null);
        var result = await _engine.GenerateAsync(prepared.Request, cancellationToken).ConfigureAwait(false);
        var sample = result.Samples[0];
        var reply = prepared.ParseReply(sample.Text);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply.ToContents()))
        {
            ModelId = ModelId,
            FinishReason = reply.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : Map(sample.FinishReason),
            Usage = Usage(result.Usage),
            CreatedAt = DateTimeOffset.UtcNow,
            ResponseId = NewId(),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prepared = PrepareChat(messages, options, 1, null);
        var reply = prepared.StartStream();
        var responseId = NewId();
        await foreach (var update in _engine.StreamAsync(prepared.Request, cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reply is null && update.Text.Length > 0)
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, update.Text) { ModelId = ModelId, ResponseId = responseId };
            }
            else if (reply is not null && (update.Text.Length > 0 || update.FinishReason is not null))
            {
                // Text and reasoning stream as they grow; a call goes out whole once the reply is finished, because
                // FunctionCallContent carries complete arguments.
                var delta = reply.Append(update.Text, final: update.FinishReason is not null);
                var contents = new List<AIContent>();
                if (delta.Reasoning.Length > 0)
                {
                    contents.Add(new TextReasoningContent(delta.Reasoning));
                }
                if (delta.Content.Length > 0)
                {
                    contents.Add(new TextContent(delta.Content));
                }
                if (update.FinishReason is not null)
                {
                    contents.AddRange(reply.Current.ToolCalls.Select(ChatReply.FunctionCall));
                }
                if (contents.Count > 0)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, contents) { ModelId = ModelId, ResponseId = responseId };
                }
            }
            if (update.Result is { } result)
            {
                yield return new ChatResponseUpdate
                {
                    Role = ChatRole.Assistant,
                    ModelId = ModelId,
                    ResponseId = responseId,
                    FinishReason = reply?.Current.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : Map(result.Samples[0].FinishReason),
                    Contents = [new UsageContent(Usage(result.Usage))],
                };
            }
        }
    }

    /// <inheritdoc />
    public Task<GenerationResult> GenerateSamplesAsync(IEnumerable<ChatMessage> messages, int count, ChatOptions? options = null,
        int? topLogprobs = null, CancellationToken cancellationToken = default) =>
        _engine.GenerateAsync(BuildRequest(messages, options, count, topLogprobs), cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }
        if (serviceType == typeof(LlamaEngine))
        {
            return _engine;
        }
        if (serviceType == typeof(LlamaModel))
        {
            return _engine.Model;
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The engine belongs to whoever created it.
    }

    /// <summary>
    /// Maps messages and ChatOptions onto an engine request (the model's chat template, sampler settings, stop
    /// sequences, <paramref name="count"/> forked samples, log-probabilities), for callers that stream n samples
    /// through <see cref="LlamaEngine.StreamAsync"/> themselves, such as the OpenAI-compatible server.
    /// </summary>
    public GenerationRequest BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, int count, int? topLogprobs) =>
        PrepareChat(messages, options, count, topLogprobs).Request;

    /// <summary>
    /// Like <see cref="BuildRequest"/>, and keeps the rendered prompt whose parser splits each reply into text,
    /// reasoning and tool calls: <see cref="ChatOptions.Tools"/> and <see cref="ChatOptions.ToolMode"/> are rendered
    /// by the model's template and enforced by its tool-call grammar, <see cref="FunctionCallContent"/> and
    /// <see cref="FunctionResultContent"/> in the history are rendered as the template renders calls and results.
    /// </summary>
    /// <exception cref="ArgumentException">No messages, a message or tool the template cannot be given.</exception>
    public PreparedChat PrepareChat(IEnumerable<ChatMessage> messages, ChatOptions? options, int count, int? topLogprobs)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one message is required.", nameof(messages));
        }
        return ChatPreparation.Prepare(_engine.Model, _options, list, options, (prompt, rest) => BuildPromptRequest(prompt, rest, count, topLogprobs));
    }

    /// <summary>
    /// Maps a raw prompt (no chat template) and ChatOptions onto an engine request: what a text completion
    /// (<c>/v1/completions</c>) asks for.
    /// </summary>
    public GenerationRequest BuildPromptRequest(string prompt, ChatOptions? options, int count, int? topLogprobs)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var sampling = _options.DefaultSampling;
        if (options?.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("Tool calling is not supported by the local engine yet; remove ChatOptions.Tools.");
        }
        if (options is not null)
        {
            sampling = sampling with
            {
                Temperature = options.Temperature ?? sampling.Temperature,
                TopP = options.TopP ?? sampling.TopP,
                TopK = options.TopK ?? sampling.TopK,
                FrequencyPenalty = options.FrequencyPenalty ?? sampling.FrequencyPenalty,
                PresencePenalty = options.PresencePenalty ?? sampling.PresencePenalty,
                Seed = options.Seed is { } seed ? unchecked((uint)seed) : sampling.Seed,
                Grammar = options.ResponseFormat is ChatResponseFormatJson json
                    ? json.Schema is { } schema ? JsonSchemaGrammar.FromSchema(schema) : Grammars.JsonObject
                    : sampling.Grammar,
                MinP = Extra(options, "min_p") ?? sampling.MinP,
                RepeatPenalty = Extra(options, "repeat_penalty") ?? sampling.RepeatPenalty,
            };
        }
        return new GenerationRequest
        {
            Prompt = prompt,
            ParseSpecialTokens = true,
            SampleCount = count,
            MaxTokens = options?.MaxOutputTokens,
            StopSequences = options?.StopSequences?.ToArray() ?? [],
            Sampling = sampling,
            TopLogprobs = topLogprobs,
        };
    }

    /// <summary>llama.cpp settings ChatOptions has no property for, passed as AdditionalProperties.</summary>
    private static float? Extra(ChatOptions options, string key) =>
        options.AdditionalProperties?.TryGetValue(key, out var value) == true ? Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static ChatFinishReason Map(FinishReason reason) => reason switch
    {
        FinishReason.Length => ChatFinishReason.Length,
        _ => ChatFinishReason.Stop,
    };

    private static UsageDetails Usage(TokenUsage usage) => new()
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
    };

    private static string NewId() => "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
}

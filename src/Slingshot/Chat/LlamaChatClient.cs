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

    /// <summary>The price of the model's tokens for the cost ledger (<see cref="SampleSourceInfo.Price"/>); null = none.</summary>
    public TokenPrice? Price { get; init; }
}

/// <summary>
/// The local engine as a Microsoft.Extensions.AI <see cref="IChatClient"/>: messages are rendered with the
/// model's own chat template, ChatOptions map onto sampler settings, and usage is reported. Also the engine's
/// <see cref="ISampleSource"/>: n samples of a conversation or a raw prompt decode the prompt once and fork it into n
/// sequences, streamed token by token or whole.
/// </summary>
public sealed class LlamaChatClient : IChatClient, ISampleSource
{
    private readonly LlamaEngine _engine;
    private readonly LlamaChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;
    private long _renders;

    /// <summary>Creates a chat client over an engine (which the client does not own).</summary>
    public LlamaChatClient(LlamaEngine engine, LlamaChatClientOptions? options = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _options = options ?? new LlamaChatClientOptions();
        ModelId = _options.ModelId ?? Path.GetFileNameWithoutExtension(engine.Model.Path);
        _metadata = new ChatClientMetadata("slingshot", null, ModelId);
        Info = new SampleSourceInfo
        {
            ModelId = ModelId,
            MaxSamplesPerCall = engine.MaxSequences,
            SupportsRawPrompt = true,
            SupportsLogprobs = true,
            StreamsTokens = true,
            Parameters = engine.Model.Info.ParameterCount,
            Price = _options.Price,
        };
    }

    /// <summary>The model id reported in responses.</summary>
    public string ModelId { get; }

    /// <inheritdoc />
    public SampleSourceInfo Info { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prepared = PrepareChat(messages, options, 1, null);
        var result = await _engine.GenerateAsync(prepared.Request, cancellationToken).ConfigureAwait(false);
        var sample = result.Samples[0];
        var reply = prepared.Reader.ParseReply(sample.Text);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply.ToContents()))
        {
            ModelId = ModelId,
            FinishReason = reply.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : sample.FinishReason.ToChatFinishReason(),
            Usage = result.Usage.ToUsageDetails(),
            CreatedAt = DateTimeOffset.UtcNow,
            ResponseId = NewId(),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prepared = PrepareChat(messages, options, 1, null);
        var reply = prepared.Reader.StartStream();
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
                    FinishReason = reply?.Current.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : result.Samples[0].FinishReason.ToChatFinishReason(),
                    Contents = [new UsageContent(result.Usage.ToUsageDetails())],
                };
            }
        }
    }

    /// <inheritdoc />
    public Task<GenerationResult> SampleAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
        SampleAsync(Prepare(request), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The request is checked here, and the engine checks what depends on the context (does the prompt plus n × max
    /// tokens fit) when the stream is first read.
    /// </remarks>
    public IAsyncEnumerable<GenerationUpdate> StreamAsync(SampleRequest request, CancellationToken cancellationToken = default) =>
        StreamAsync(Prepare(request), cancellationToken);

    /// <summary>
    /// Renders <paramref name="request"/>'s conversation once (or takes its raw prompt), for callers that sample it and
    /// also read its replies with <see cref="PreparedSampleRequest.Replies"/>: the same as
    /// <see cref="SampleAsync(SampleRequest, CancellationToken)"/> followed by <see cref="GetReplyReader"/>, with one
    /// rendering instead of two.
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid, or a message or tool the template cannot be given.</exception>
    public PreparedSampleRequest Prepare(SampleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var prepared = request.Messages is { } messages
            ? PrepareChat(messages, request.Options, request.Count, request.TopLogprobs)
            : new PreparedChat(BuildPromptRequest(request.Prompt!, request.Options, request.Count, request.TopLogprobs), null, false, "none");
        return new PreparedSampleRequest(this, request, prepared.Request with { DefaultMaxTokens = request.DefaultMaxTokens }, prepared.Reader);
    }

    /// <summary>Samples a request <see cref="Prepare"/> rendered (see <see cref="SampleAsync(SampleRequest, CancellationToken)"/>).</summary>
    /// <exception cref="ArgumentException">Another client prepared it.</exception>
    public async Task<GenerationResult> SampleAsync(PreparedSampleRequest request, CancellationToken cancellationToken = default)
    {
        var result = await _engine.GenerateAsync(Own(request).Generation, cancellationToken).ConfigureAwait(false);
        return result with { ModelId = ModelId };
    }

    /// <summary>Streams a request <see cref="Prepare"/> rendered (see <see cref="StreamAsync(SampleRequest, CancellationToken)"/>).</summary>
    /// <exception cref="ArgumentException">Another client prepared it.</exception>
    public IAsyncEnumerable<GenerationUpdate> StreamAsync(PreparedSampleRequest request, CancellationToken cancellationToken = default) =>
        WithModelId(_engine.StreamAsync(Own(request).Generation, cancellationToken));

    /// <summary>Conversations rendered with the chat template so far (one per request; tests check that it stays one).</summary>
    internal long Renders => Interlocked.Read(ref _renders);

    /// <summary>A prepared request of this client: another client's was rendered for another model or template.</summary>
    private PreparedSampleRequest Own(PreparedSampleRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Owner == this
            ? request
            : throw new ArgumentException("The request was prepared by another client; prepare it with this one.", nameof(request));
    }

    /// <summary>The engine's updates, the last one's result naming this client's model.</summary>
    private async IAsyncEnumerable<GenerationUpdate> WithModelId(IAsyncEnumerable<GenerationUpdate> updates)
    {
        await foreach (var update in updates.ConfigureAwait(false))
        {
            yield return update.Result is { } result ? update with { Result = result with { ModelId = ModelId } } : update;
        }
    }

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
    /// The reader of replies to <paramref name="messages"/>: splits a sample's text (whole or streamed) into text,
    /// reasoning and tool calls as the model's template formats them, for callers that sample the conversation through
    /// <see cref="ISampleSource"/> with the same messages and options. It renders the conversation; <see cref="Prepare"/>
    /// gives the reader and the request to sample from one rendering.
    /// </summary>
    /// <exception cref="ArgumentException">No messages, a message or tool the template cannot be given.</exception>
    public ChatReplyReader GetReplyReader(IEnumerable<ChatMessage> messages, ChatOptions? options) =>
        PrepareChat(messages, options, 1, null).Reader;

    /// <summary>
    /// The engine request of a conversation with the rendered prompt whose parser splits each reply into text,
    /// reasoning and tool calls: <see cref="ChatOptions.Tools"/> and <see cref="ChatOptions.ToolMode"/> are rendered
    /// by the model's template and enforced by its tool-call grammar, <see cref="FunctionCallContent"/> and
    /// <see cref="FunctionResultContent"/> in the history are rendered as the template renders calls and results.
    /// </summary>
    /// <exception cref="ArgumentException">No messages, a message or tool the template cannot be given.</exception>
    internal PreparedChat PrepareChat(IEnumerable<ChatMessage> messages, ChatOptions? options, int count, int? topLogprobs)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one message is required.", nameof(messages));
        }
        Interlocked.Increment(ref _renders);
        return ChatPreparation.Prepare(_engine.Model, _options, list, options, (prompt, rest) => BuildPromptRequest(prompt, rest, count, topLogprobs));
    }

    /// <summary>
    /// Maps a raw prompt (no chat template) and ChatOptions onto an engine request: what a text completion
    /// (<c>/v1/completions</c>) asks for.
    /// </summary>
    private GenerationRequest BuildPromptRequest(string prompt, ChatOptions? options, int count, int? topLogprobs)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var sampling = _options.DefaultSampling;
        if (options?.Tools is { Count: > 0 })
        {
            throw new NotSupportedException("A raw prompt cannot carry tools (a conversation's chat template renders them); remove ChatOptions.Tools.");
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

    private static string NewId() => "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
}

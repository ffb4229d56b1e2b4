using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;
using Slingshot.Server.Observability;
using Slingshot.Server.OpenAi;

namespace Slingshot.Server.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>. Local models are sampled through their <see cref="ISampleSource"/>: n samples decode
/// the prompt once and fork it, and streaming sends each sample's tokens as they are sampled. Virtual models answer
/// through their strategy pipeline and report in usage every call made underneath.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ModelCatalog catalog, ServerOptions options, ServerMetrics metrics)
    {
        using var body = await RequestBody.ReadJsonAsync(context).ConfigureAwait(false);
        var request = CompletionRequest.ParseChat(body.RootElement, options.Limits);
        var model = catalog.Find(request.Model) ?? throw ModelNotFound(request.Model);
        CheckSampleCount(model, request.N);
        await using var slot = QueueSlot.Enter(model, options.Limits);
        using var activity = Telemetry.StartAnswering("chat", model.Name, request.N, request.Stream);
        var ct = context.RequestAborted;
        if (model is LocalModel { Chat: var local })
        {
            // Rendered once: the prompt the engine decodes and the reader of its replies come from the same rendering.
            var prepared = Prepare(local, request);
            if (request.Stream)
            {
                await StreamAsync(context, model, local.StreamAsync(prepared, ct), prepared.Replies, request, metrics, ct).ConfigureAwait(false);
                return;
            }
            var result = await local.SampleAsync(prepared, ct).ConfigureAwait(false);
            metrics.Tokens(model.Name, result.Usage);
            await WriteResponseAsync(context, model.Name, result.Samples, result.Usage, request.TopLogprobs is not null, replies: prepared.Replies).ConfigureAwait(false);
            return;
        }
        await VirtualAsync(context, model, request, metrics, ct).ConfigureAwait(false);
    }

    /// <summary>A local chat request rendered with the reader of its replies; what the template or tools refuse is a 400.</summary>
    private static PreparedSampleRequest Prepare(LlamaChatClient local, CompletionRequest request)
    {
        var sampling = Sampling(request);
        try
        {
            return local.Prepare(sampling);
        }
        catch (ArgumentException ex) when (request.Options.Tools is { Count: > 0 } || request.Messages!.Any(m => m.Contents.Any(c => c is FunctionCallContent or FunctionResultContent)))
        {
            throw ApiException.BadField(request.Options.ToolMode is RequiredChatToolMode { RequiredFunctionName: not null } ? "tool_choice" : "tools", ex.Message);
        }
    }

    private static async Task WriteResponseAsync(HttpContext context, string model, IReadOnlyList<Sample> samples, TokenUsage usage, bool logprobs,
        AdditionalPropertiesDictionary? strategy = null, ChatReplyReader? replies = null)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, ChunkWriter.WriterOptions);
        json.WriteStartObject();
        json.WriteString("id", ChunkWriter.NewId("chatcmpl-"));
        json.WriteString("object", "chat.completion");
        json.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        json.WriteString("model", model);
        json.WriteStartArray("choices");
        foreach (var sample in samples)
        {
            json.WriteStartObject();
            json.WriteNumber("index", sample.Index);
            var reply = replies?.ParseReply(sample.Text) ?? new ChatReply(sample.Text, "", []);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            ChatReplyJson.WriteMessage(json, reply);
            json.WriteNull("refusal");
            json.WriteEndObject();
            ChunkWriter.ChatLogprobs(json, logprobs ? sample.Logprobs ?? [] : null);
            json.WriteString("finish_reason", ChatReplyJson.FinishReason(reply, sample.FinishReason));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        ChunkWriter.Usage(json, usage);
        json.WriteString("system_fingerprint", "slingshot");
        StrategyDetails.Write(json, strategy);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request's conversation, n, settings, log-probabilities and default max tokens as a sample request.</summary>
    private static SampleRequest Sampling(CompletionRequest request) =>
        SampleRequest.Chat(request.Messages!, request.N, request.Options, request.TopLogprobs) with { DefaultMaxTokens = request.DefaultMaxTokens };

    private static async Task StreamAsync(HttpContext context, ServedModel model, IAsyncEnumerable<GenerationUpdate> stream, ChatReplyReader reader,
        CompletionRequest request,
        ServerMetrics metrics, CancellationToken ct)
    {
        // One reply follower per sample where replies have structure (tool calls, thinking); plain text passes as it comes.
        var replies = Enumerable.Range(0, request.N).Select(_ => reader.StartStream()).ToArray();
        // Admitted (or refused with a 400) before the first byte of the response.
        await using var updates = await AdmittedStream.OpenAsync(stream, ct).ConfigureAwait(false);
        var sse = new SseWriter(context, ChunkWriter.NewId("chatcmpl-"), model.Name, "chat.completion.chunk", request.IncludeUsage);
        await sse.StartAsync().ConfigureAwait(false);
        for (var i = 0; i < request.N; i++)
        {
            await sse.ChunkAsync(i, json => { json.WriteString("role", "assistant"); json.WriteString("content", ""); }, null, null).ConfigureAwait(false);
        }
        var first = true;
        await foreach (var update in updates.ReadAllAsync().ConfigureAwait(false))
        {
            if (first && update.Token is not null)
            {
                metrics.FirstToken(model.Name, context);
                first = false;
            }
            // The final update (the result) belongs to no sample: its index is -1.
            var reply = update.SampleIndex >= 0 ? replies[update.SampleIndex] : null;
            var logprob = request.TopLogprobs is not null && update.Logprob is { } lp ? new[] { lp } : null;
            if (reply is not null && (update.Text.Length > 0 || update.FinishReason is not null))
            {
                var delta = reply.Append(update.Text, final: update.FinishReason is not null);
                if (!delta.IsEmpty || logprob is not null)
                {
                    await sse.ChunkAsync(update.SampleIndex, json => ChatReplyJson.WriteDelta(json, delta),
                        logprob is null ? null : json => ChunkWriter.ChatLogprobs(json, logprob), null).ConfigureAwait(false);
                }
            }
            else if (reply is null && (update.Text.Length > 0 || logprob is not null))
            {
                await sse.ChunkAsync(update.SampleIndex, json => json.WriteString("content", update.Text),
                    logprob is null ? null : json => ChunkWriter.ChatLogprobs(json, logprob), null).ConfigureAwait(false);
            }
            if (update.FinishReason is { } finish)
            {
                var reason = reply is null ? ChunkWriter.FinishReason(finish) : ChatReplyJson.FinishReason(reply.Current, finish);
                await sse.ChunkAsync(update.SampleIndex, _ => { }, null, reason).ConfigureAwait(false);
            }
            if (update.Result is { } result)
            {
                metrics.Tokens(model.Name, result.Usage);
                await sse.FinishAsync(result.Usage).ConfigureAwait(false);
            }
        }
    }

    private static async Task VirtualAsync(HttpContext context, ServedModel model, CompletionRequest request, ServerMetrics metrics, CancellationToken ct)
    {
        if ((request.N != 1 || request.TopLogprobs is not null) && model is SourceModel { Source: var remote })
        {
            await RemoteSamplesAsync(context, model, remote, request, metrics, ct).ConfigureAwait(false);
            return;
        }
        if (request.N != 1)
        {
            throw ApiException.BadField("n", $"Model '{model.Name}' is a strategy and answers with one chosen response; 'n' must be 1.");
        }
        if (request.TopLogprobs is not null)
        {
            throw ApiException.BadField("logprobs", $"Model '{model.Name}' is a strategy; it does not return log-probabilities.");
        }
        var options = request.Options.Clone();
        options.MaxOutputTokens ??= request.DefaultMaxTokens;
        var response = await model.Client.GetResponseAsync(request.Messages!, options, ct).ConfigureAwait(false);
        var usage = response.Usage?.ToTokenUsage() ?? default;
        metrics.Tokens(model.Name, usage);
        var finish = response.FinishReason.ToFinishReason();
        var sample = new Sample { Index = 0, Text = response.Text, Tokens = null, FinishReason = finish, Seed = null };
        if (!request.Stream)
        {
            await WriteResponseAsync(context, model.Name, [sample], usage, logprobs: false, response.AdditionalProperties).ConfigureAwait(false);
            return;
        }
        var sse = new SseWriter(context, ChunkWriter.NewId("chatcmpl-"), model.Name, "chat.completion.chunk", request.IncludeUsage);
        await sse.StartAsync().ConfigureAwait(false);
        await sse.ChunkAsync(0, json => { json.WriteString("role", "assistant"); json.WriteString("content", ""); }, null, null).ConfigureAwait(false);
        await sse.ChunkAsync(0, json => json.WriteString("content", sample.Text), null, null).ConfigureAwait(false);
        await sse.ChunkAsync(0, _ => { }, null, ChunkWriter.FinishReason(finish)).ConfigureAwait(false);
        await sse.FinishAsync(usage).ConfigureAwait(false);
    }

    /// <summary>
    /// n samples (and logprobs) from a remote endpoint: its own n where it honours it, parallel calls otherwise.
    /// The endpoint answers whole samples, so a stream sends each choice as one chunk.
    /// </summary>
    private static async Task RemoteSamplesAsync(HttpContext context, ServedModel model, ISampleSource remote, CompletionRequest request,
        ServerMetrics metrics, CancellationToken ct)
    {
        var result = await remote.SampleAsync(Sampling(request), ct).ConfigureAwait(false);
        metrics.Tokens(model.Name, result.Usage);
        var logprobs = request.TopLogprobs is not null;
        if (!request.Stream)
        {
            await WriteResponseAsync(context, model.Name, result.Samples, result.Usage, logprobs).ConfigureAwait(false);
            return;
        }
        var sse = new SseWriter(context, ChunkWriter.NewId("chatcmpl-"), model.Name, "chat.completion.chunk", request.IncludeUsage);
        await sse.StartAsync().ConfigureAwait(false);
        foreach (var sample in result.Samples)
        {
            await sse.ChunkAsync(sample.Index, json => { json.WriteString("role", "assistant"); json.WriteString("content", ""); }, null, null).ConfigureAwait(false);
            await sse.ChunkAsync(sample.Index, json => json.WriteString("content", sample.Text),
                logprobs ? json => ChunkWriter.ChatLogprobs(json, sample.Logprobs ?? []) : null, null).ConfigureAwait(false);
            await sse.ChunkAsync(sample.Index, _ => { }, null, ChunkWriter.FinishReason(sample.FinishReason)).ConfigureAwait(false);
        }
        await sse.FinishAsync(result.Usage).ConfigureAwait(false);
    }

    /// <summary>n within the server's limit can still exceed what the model's source draws in one call: name the field.</summary>
    public static void CheckSampleCount(ServedModel model, int n)
    {
        if (model is LocalModel { Source.Info.MaxSamplesPerCall: { } most } && n > most)
        {
            throw ApiException.BadField("n", $"Model '{model.Name}' decodes at most {most} sequences at once; 'n' must be at most that (got {n}).");
        }
    }

    public static ApiException ModelNotFound(string model) =>
        new(404, $"The model '{LogText.Bounded(model)}' does not exist (see GET /v1/models).", param: "model", code: "model_not_found");
}

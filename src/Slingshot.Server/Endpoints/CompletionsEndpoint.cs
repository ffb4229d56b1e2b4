using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;
using Slingshot.Server.Observability;
using Slingshot.Server.OpenAi;

namespace Slingshot.Server.Endpoints;

/// <summary><c>POST /v1/completions</c>: raw prompts (no chat template), n forked samples per prompt, logprobs, echo.</summary>
internal static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ModelCatalog catalog, ServerOptions options, ServerMetrics metrics)
    {
        using var body = await RequestBody.ReadJsonAsync(context).ConfigureAwait(false);
        var request = CompletionRequest.ParseText(body.RootElement, options.Limits);
        var model = catalog.Find(request.Model) ?? throw ChatCompletionsEndpoint.ModelNotFound(request.Model);
        if (model is not LocalModel { Source: { Info.SupportsRawPrompt: true } local })
        {
            throw ApiException.BadField("model", $"Model '{model.Name}' is a strategy; use /v1/chat/completions.");
        }
        ChatCompletionsEndpoint.CheckSampleCount(model, request.N);
        await using var slot = QueueSlot.Enter(model, options.Limits);
        using var activity = Telemetry.StartAnswering("text_completion", model.Name, request.N, request.Stream);
        var ct = context.RequestAborted;
        var prompts = request.Prompts!;
        if (request.Stream)
        {
            if (prompts.Count != 1)
            {
                throw ApiException.BadField("prompt", "Streaming takes one prompt.");
            }
            await StreamAsync(context, model, local, Sampling(prompts[0], request), request, metrics, ct).ConfigureAwait(false);
            return;
        }
        // Several prompts run at once: the decode loop batches them.
        var results = await Task.WhenAll(prompts.Select(p => local.SampleAsync(Sampling(p, request), ct))).ConfigureAwait(false);
        var usage = results.Aggregate(default(TokenUsage), (sum, r) => sum + r.Usage);
        metrics.Tokens(model.Name, usage);

        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, ChunkWriter.WriterOptions);
        json.WriteStartObject();
        json.WriteString("id", ChunkWriter.NewId("cmpl-"));
        json.WriteString("object", "text_completion");
        json.WriteNumber("created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        json.WriteString("model", model.Name);
        json.WriteStartArray("choices");
        for (var p = 0; p < results.Length; p++)
        {
            foreach (var sample in results[p].Samples)
            {
                var prefix = request.Echo ? prompts[p] : "";
                json.WriteStartObject();
                json.WriteString("text", prefix + sample.Text);
                json.WriteNumber("index", p * request.N + sample.Index);
                ChunkWriter.TextLogprobs(json, request.TopLogprobs is null ? null : sample.Logprobs ?? [], prefix.Length);
                json.WriteString("finish_reason", ChunkWriter.FinishReason(sample.FinishReason));
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();
        ChunkWriter.Usage(json, usage);
        json.WriteString("system_fingerprint", "slingshot");
        json.WriteEndObject();
        await json.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>One raw prompt with the request's n, settings, log-probabilities and default max tokens as a sample request.</summary>
    private static SampleRequest Sampling(string prompt, CompletionRequest request) =>
        SampleRequest.Text(prompt, request.N, request.Options, request.TopLogprobs) with { DefaultMaxTokens = request.DefaultMaxTokens };

    private static async Task StreamAsync(HttpContext context, ServedModel model, ISampleSource source, SampleRequest sampling, CompletionRequest request,
        ServerMetrics metrics, CancellationToken ct)
    {
        // Admitted (or refused with a 400) before the first byte of the response.
        await using var updates = await AdmittedStream.OpenAsync(source, sampling, ct).ConfigureAwait(false);
        var sse = new SseWriter(context, ChunkWriter.NewId("cmpl-"), model.Name, "text_completion", request.IncludeUsage);
        await sse.StartAsync().ConfigureAwait(false);
        // Where each choice's next token starts in its text (after the echoed prompt), for text_offset.
        var offsets = new int[request.N];
        if (request.Echo)
        {
            for (var i = 0; i < request.N; i++)
            {
                await sse.TextChunkAsync(i, request.Prompts![0], null, null).ConfigureAwait(false);
                offsets[i] = request.Prompts[0].Length;
            }
        }
        var first = true;
        await foreach (var update in updates.ReadAllAsync().ConfigureAwait(false))
        {
            if (first && update.Token is not null)
            {
                metrics.FirstToken(model.Name, context);
                first = false;
            }
            var logprob = request.TopLogprobs is not null ? update.Logprob : null;
            if (update.Text.Length > 0 || update.FinishReason is not null || logprob is not null)
            {
                var offset = offsets[update.SampleIndex];
                offsets[update.SampleIndex] += logprob?.Chosen.Text.Length ?? 0;
                await sse.TextChunkAsync(update.SampleIndex, update.Text, logprob is null ? null : json => ChunkWriter.TextLogprobs(json, [logprob], offset),
                    update.FinishReason is { } f ? ChunkWriter.FinishReason(f) : null).ConfigureAwait(false);
            }
            if (update.Result is { } result)
            {
                metrics.Tokens(model.Name, result.Usage);
                await sse.FinishAsync(result.Usage).ConfigureAwait(false);
            }
        }
    }
}

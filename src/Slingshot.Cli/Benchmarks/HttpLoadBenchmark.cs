using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slingshot.Cli.Benchmarks;

/// <summary>Which OpenAI route the load generator calls.</summary>
internal enum HttpLoadEndpoint
{
    /// <summary>POST /v1/chat/completions with one user message (the server applies its chat template).</summary>
    Chat,
    /// <summary>POST /v1/completions with the raw prompt (for models without a chat template).</summary>
    Completions,
}

/// <summary>What the HTTP load benchmark sends and how much of it.</summary>
internal sealed record HttpLoadSettings
{
    /// <summary>Server root, e.g. http://127.0.0.1:8080 (the /v1 routes are appended).</summary>
    public required Uri BaseUrl { get; init; }
    /// <summary>Value of "model" in every request.</summary>
    public required string Model { get; init; }
    /// <summary>Concurrent clients per level; each level is measured on its own.</summary>
    public required IReadOnlyList<int> Concurrency { get; init; }
    /// <summary>Requests each client sends per level; null when <see cref="RequestsPerLevel"/> or <see cref="DurationSeconds"/> bounds the level instead.</summary>
    public int? RequestsPerClient { get; init; }
    /// <summary>Requests per level, spread evenly over the clients (rounded up to a whole number per client).</summary>
    public int? RequestsPerLevel { get; init; }
    /// <summary>Seconds each level keeps starting requests; null when <see cref="RequestsPerClient"/> is set.</summary>
    public double? DurationSeconds { get; init; }
    /// <summary>max_tokens of every request.</summary>
    public int MaxTokens { get; init; } = 128;
    /// <summary>Samples per request ("n"): the server decodes the prompt once and draws n completions.</summary>
    public int N { get; init; } = 1;
    /// <summary>Stream (server-sent events) and measure time to first token too.</summary>
    public bool Stream { get; init; }
    /// <summary>Send "ignore_eos": true (llama-server honours it; servers that do not know it ignore it).</summary>
    public bool IgnoreEos { get; init; }
    /// <summary>Sampling temperature (0 = greedy, the same tokens on every server running the same kernels).</summary>
    public double Temperature { get; init; }
    /// <summary>Fixed seed sent with every request, if any.</summary>
    public long? Seed { get; init; }
    /// <summary>User message (chat) or prompt text (completions).</summary>
    public required string Prompt { get; init; }
    /// <summary>Route called.</summary>
    public HttpLoadEndpoint Endpoint { get; init; } = HttpLoadEndpoint.Chat;
    /// <summary>
    /// Start every prompt with a request number so no two requests share more than the template's first tokens:
    /// otherwise a server with a prompt cache skips the prefill that a real workload pays.
    /// </summary>
    public bool UniquePrompts { get; init; } = true;
    /// <summary>What the requests share (see <see cref="HttpLoadWorkload"/>); the numbered question is <see cref="Prompt"/>.</summary>
    public HttpLoadWorkload Workload { get; init; } = HttpLoadWorkload.Unique;
    /// <summary>System message of <see cref="HttpLoadWorkload.SharedSystem"/> (default <see cref="HttpLoadConversation.DefaultSystemPrompt"/>).</summary>
    public string? SystemPrompt { get; init; }
    /// <summary>Turns of one conversation in <see cref="HttpLoadWorkload.MultiTurn"/> before a client starts a new one.</summary>
    public int Turns { get; init; } = 6;
    /// <summary>Bearer key, if the server wants one.</summary>
    public string? ApiKey { get; init; }
    /// <summary>Free-text name of the server in the report (e.g. "slingshot", "llama-server").</summary>
    public string? Label { get; init; }
}

/// <summary>Latency percentiles of one level, in milliseconds (linear interpolation between ranks).</summary>
internal sealed record LatencySummary(double P50Ms, double P90Ms, double P99Ms, double MeanMs, double MaxMs)
{
    /// <summary>Summarises <paramref name="milliseconds"/>; zeros when there are none.</summary>
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99), sorted.Average(), sorted[^1]);
    }

    /// <summary>The q-quantile of ascending <paramref name="sorted"/> values, interpolating between neighbouring ranks.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        var rank = q * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}

/// <summary>One concurrency level's measurements.</summary>
/// <param name="Concurrency">Clients sending requests back to back.</param>
/// <param name="N">Samples per request.</param>
/// <param name="Requests">Requests that succeeded.</param>
/// <param name="Errors">Requests that failed (HTTP error, malformed answer, wrong number of choices, exception).</param>
/// <param name="PromptTokens">usage.prompt_tokens summed over successful requests.</param>
/// <param name="CompletionTokens">Completion tokens summed over successful requests (see <see cref="HttpLoadBenchmark"/> for how they are counted).</param>
/// <param name="WallSeconds">From the first request sent to the last answer received.</param>
/// <param name="CompletionTokensPerSecond">Aggregate throughput: completion tokens over wall time.</param>
/// <param name="RequestsPerSecond">Successful requests over wall time.</param>
/// <param name="Latency">End-to-end latency of successful requests (send to last byte).</param>
/// <param name="TimeToFirstToken">Streaming only: send to the first non-empty content.</param>
/// <param name="UsageAdjusted">Requests whose usage.completion_tokens was below the tokens their length-finished choices must hold.</param>
/// <param name="FirstError">The first failure's message, if any.</param>
/// <param name="ErrorsByKind">Failures by kind: the HTTP status ("429", "500", ...), so 4xx are told apart by type as well as 5xx, or "invalid" for an answer that was no valid completion (or a broken connection).</param>
/// <param name="LatenciesMs">Every successful request's latency, in the order the requests were sent (to tell warm-up outliers from steady ones).</param>
internal sealed record HttpLoadLevel(int Concurrency, int N, int Requests, int Errors, long PromptTokens, long CompletionTokens, double WallSeconds,
    double CompletionTokensPerSecond, double RequestsPerSecond, LatencySummary Latency, LatencySummary? TimeToFirstToken, int UsageAdjusted, string? FirstError,
    IReadOnlyList<double> LatenciesMs, IReadOnlyDictionary<string, int> ErrorsByKind)
{
    /// <summary>Completion tokens per successful request.</summary>
    public double MeanCompletionTokens => Requests == 0 ? 0 : (double)CompletionTokens / Requests;
    /// <summary>Prompt tokens per successful request.</summary>
    public double MeanPromptTokens => Requests == 0 ? 0 : (double)PromptTokens / Requests;
}

/// <summary>The benchmark's result, printed as JSON.</summary>
internal sealed record HttpLoadReport(string Url, string Model, string? Label, string? OwnedBy, DateTimeOffset StartedAt, HttpLoadSettings Settings,
    IReadOnlyList<HttpLoadLevel> Levels);

/// <summary>
/// A load generator for any OpenAI-compatible server: for each concurrency level, that many clients send
/// chat (or text) completion requests back to back over one pooled HttpClient, and the level reports aggregate
/// completion tokens per second and latency percentiles. Throughput counts the tokens the server says it
/// generated (usage.completion_tokens, summed over usage chunks when streaming), never max_tokens; the one
/// correction is a floor of max_tokens per choice that finished with "length", because some servers report
/// usage for only the first of n choices.
/// </summary>
internal static class HttpLoadBenchmark
{
    /// <summary>Runs every level of <paramref name="settings"/> in order, after a short warm-up.</summary>
    public static async Task<HttpLoadReport> RunAsync(HttpLoadSettings settings, Action<string, double> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var started = DateTimeOffset.UtcNow;
        using var http = CreateClient(settings);
        var ownedBy = await OwnerAsync(http, settings, ct);

        // Warm-up, not counted: one full-size request per client of the largest level. It opens every connection
        // and lets a JIT-compiled server reach its steady code (a few-token warm-up leaves the first measured
        // request of a .NET server 50% slower, which alone decides a p99 over a few dozen requests).
        progress("warm-up", 0);
        var warmups = await Task.WhenAll(Enumerable.Range(0, settings.Concurrency.Max()).Select(i => SendAsync(http, settings, new HttpLoadConversation(settings, $"warm-up {i}").Next(0), ct)));
        if (warmups.All(w => w.Error is not null))
        {
            throw new InvalidOperationException($"Every warm-up request to {settings.BaseUrl} failed: {warmups[0].Error}");
        }

        var levels = new List<HttpLoadLevel>();
        for (var i = 0; i < settings.Concurrency.Count; i++)
        {
            var clients = settings.Concurrency[i];
            progress($"{clients} client{(clients == 1 ? "" : "s")}, n={settings.N}", (double)i / settings.Concurrency.Count);
            levels.Add(await RunLevelAsync(http, settings, i, clients, ct));
        }
        progress("done", 1);
        return new HttpLoadReport(settings.BaseUrl.ToString(), settings.Model, settings.Label, ownedBy, started, settings, levels);
    }

    private static async Task<HttpLoadLevel> RunLevelAsync(HttpClient http, HttpLoadSettings settings, int level, int clients, CancellationToken ct)
    {
        var outcomes = new List<RequestOutcome>();
        var clock = Stopwatch.StartNew();
        var deadline = settings.DurationSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var perClient = settings.RequestsPerLevel is { } total ? (total + clients - 1) / clients : settings.RequestsPerClient ?? 1;
        async Task ClientAsync(int client)
        {
            var conversation = new HttpLoadConversation(settings, $"{level}.{client}");
            for (var i = 0; deadline is { } d ? clock.Elapsed < d : i < perClient; i++)
            {
                var messages = conversation.Next(i);
                var sentAt = clock.Elapsed.TotalMilliseconds;
                var outcome = await SendAsync(http, settings, messages, ct) with { SentAt = sentAt };
                conversation.Answered(outcome.Error is null ? outcome.Text : null);
                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(c), ct)));
        var wall = clock.Elapsed.TotalSeconds;

        var ok = outcomes.Where(o => o.Error is null).ToList();
        var tokens = ok.Sum(o => o.CompletionTokens);
        return new HttpLoadLevel(clients, settings.N, ok.Count, outcomes.Count - ok.Count, ok.Sum(o => o.PromptTokens), tokens, wall,
            tokens / wall, ok.Count / wall, LatencySummary.Of(ok.Select(o => o.LatencyMs).ToList()),
            settings.Stream ? LatencySummary.Of(ok.Where(o => o.FirstTokenMs is not null).Select(o => o.FirstTokenMs!.Value).ToList()) : null,
            ok.Count(o => o.UsageAdjusted), outcomes.FirstOrDefault(o => o.Error is not null)?.Error,
            ok.OrderBy(o => o.SentAt).Select(o => Math.Round(o.LatencyMs, 1)).ToList(),
            outcomes.Where(o => o.Error is not null).GroupBy(o => o.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "invalid")
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static HttpClient CreateClient(HttpLoadSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
        };
        var http = new HttpClient(handler) { BaseAddress = settings.BaseUrl, Timeout = TimeSpan.FromMinutes(30) };
        if (settings.ApiKey is { } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return http;
    }

    /// <summary>owned_by of the model in GET /v1/models (tells the servers apart in a report); null when unavailable.</summary>
    private static async Task<string?> OwnerAsync(HttpClient http, HttpLoadSettings settings, CancellationToken ct)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("v1/models", ct));
            return doc.RootElement.GetProperty("data").EnumerateArray()
                .Select(m => (Id: m.TryGetProperty("id", out var id) ? id.GetString() : null, Owner: m.TryGetProperty("owned_by", out var o) ? o.GetString() : null))
                .OrderByDescending(m => m.Id == settings.Model).Select(m => m.Owner).FirstOrDefault();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    internal static string RequestBody(HttpLoadSettings settings, IReadOnlyList<(string Role, string Content)> messages)
    {
        var body = new JsonObject { ["model"] = settings.Model };
        if (settings.Endpoint == HttpLoadEndpoint.Chat)
        {
            body["messages"] = HttpLoadConversation.ToJson(messages);
        }
        else
        {
            body["prompt"] = HttpLoadConversation.ToText(messages);
        }
        body["max_tokens"] = settings.MaxTokens;
        body["temperature"] = settings.Temperature;
        if (settings.N != 1)
        {
            body["n"] = settings.N;
        }
        if (settings.Seed is { } seed)
        {
            body["seed"] = seed;
        }
        if (settings.IgnoreEos)
        {
            body["ignore_eos"] = true;
        }
        if (settings.Stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        return body.ToJsonString();
    }

    private static async Task<RequestOutcome> SendAsync(HttpClient http, HttpLoadSettings settings, IReadOnlyList<(string Role, string Content)> messages, CancellationToken ct)
    {
        var path = settings.Endpoint == HttpLoadEndpoint.Chat ? "v1/chat/completions" : "v1/completions";
        var clock = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(RequestBody(settings, messages), Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                return RequestOutcome.Failed($"HTTP {(int)response.StatusCode}: {Shorten(text)}") with { Status = (int)response.StatusCode };
            }
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            var tally = settings.Stream ? await ReadEventsAsync(stream, clock, ct) : await ReadJsonAsync(stream, ct);
            var latency = clock.Elapsed.TotalMilliseconds;
            if (tally.Choices.Count != settings.N)
            {
                return RequestOutcome.Failed($"expected {settings.N} choice(s), got {tally.Choices.Count}");
            }
            var floor = (long)tally.Choices.Values.Count(f => f == "length") * settings.MaxTokens;
            return new RequestOutcome(null, latency, tally.FirstTokenMs, tally.PromptTokens, Math.Max(tally.CompletionTokens, floor), tally.CompletionTokens < floor)
            {
                Text = tally.FirstText.ToString(),
            };
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException or InvalidOperationException or KeyNotFoundException
            || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return RequestOutcome.Failed($"{e.GetType().Name}: {Shorten(e.Message)}");
        }
    }

    private static async Task<ResponseTally> ReadJsonAsync(Stream stream, CancellationToken ct)
    {
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        var tally = new ResponseTally();
        tally.Add(doc.RootElement, null);
        return tally;
    }

    /// <summary>Reads server-sent events to [DONE]; the first non-empty content marks the time to first token.</summary>
    private static async Task<ResponseTally> ReadEventsAsync(Stream stream, Stopwatch clock, CancellationToken ct)
    {
        var tally = new ResponseTally();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }
            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]"))
            {
                break;
            }
            using var doc = JsonDocument.Parse(data.ToString());
            tally.Add(doc.RootElement, clock);
        }
        return tally;
    }

    private static string Shorten(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 300 ? text : text[..300] + "...";
    }

    /// <summary>What one request produced; <see cref="Error"/> is null on success.</summary>
    private sealed record RequestOutcome(string? Error, double LatencyMs, double? FirstTokenMs, long PromptTokens, long CompletionTokens, bool UsageAdjusted)
    {
        /// <summary>When the request was sent, in milliseconds from the start of its level.</summary>
        public double SentAt { get; init; }

        /// <summary>The first choice's text (the next turn of a conversation resends it).</summary>
        public string? Text { get; init; }

        /// <summary>The HTTP status of a request the server refused; null otherwise.</summary>
        public int? Status { get; init; }

        public static RequestOutcome Failed(string error) => new(error, 0, null, 0, 0, false);
    }

    /// <summary>Accumulates a response or its chunks: choices seen (with finish reasons), usage, first content time.</summary>
    private sealed class ResponseTally
    {
        public Dictionary<int, string?> Choices { get; } = [];
        public long PromptTokens { get; private set; }
        public long CompletionTokens { get; private set; }
        public double? FirstTokenMs { get; private set; }
        public StringBuilder FirstText { get; } = new();

        public void Add(JsonElement root, Stopwatch? clock)
        {
            if (root.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"server error: {Shorten(error.ToString())}");
            }
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                var position = 0;
                foreach (var choice in choices.EnumerateArray())
                {
                    // Some servers number every one of n choices 0 in a non-streamed answer; fall back to its position.
                    var index = clock is null ? position : choice.TryGetProperty("index", out var i) ? i.GetInt32() : position;
                    position++;
                    var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    if (!Choices.TryGetValue(index, out var known) || finish is not null)
                    {
                        Choices[index] = finish ?? known;
                    }
                    if (clock is not null && FirstTokenMs is null && HasContent(choice))
                    {
                        FirstTokenMs = clock.Elapsed.TotalMilliseconds;
                    }
                    if (index == 0)
                    {
                        FirstText.Append(Content(choice));
                    }
                }
            }
            // Streamed: one usage chunk per answer (or per choice, on servers that finish n choices separately): sum them.
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                PromptTokens = Math.Max(PromptTokens, usage.TryGetProperty("prompt_tokens", out var p) ? p.GetInt64() : 0);
                CompletionTokens += usage.TryGetProperty("completion_tokens", out var c) ? c.GetInt64() : 0;
            }
        }

        /// <summary>The text a choice carries: message.content, delta.content (streamed) or text (completions).</summary>
        private static string? Content(JsonElement choice) =>
            (choice.TryGetProperty("message", out var message) || choice.TryGetProperty("delta", out message)) && message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String ? content.GetString()
            : choice.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;

        private static bool HasContent(JsonElement choice) =>
            (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0)
            || (choice.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Slingshot.Server.Configuration;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Fuzz;

/// <summary>Small caps so that fuzzed requests which happen to be valid stay cheap; a queue deep enough never to 429 four clients.</summary>
public sealed class FuzzServerFixture : ServerFixture
{
    protected override void Configure(ServerOptions options)
    {
        options.Models[0].ContextSize = 1024;
        options.Models[0].Sequences = 8;
        options.Limits = new ServerLimits { MaxBodyBytes = 256 * 1024, MaxN = 4, MaxTokens = 48, DefaultMaxTokens = 16, MaxQueue = 64 };
    }
}

/// <summary>
/// Seeded random mutations of valid requests over real HTTP against the real server. Whatever a request holds,
/// the answer is never a 5xx (except a deliberate 503), a stream either completes or is a 4xx before its first
/// byte, and afterwards the server is healthy, idle and its /metrics page small. SLINGSHOT_FUZZ_SEED replays
/// another seed; a failure names the seed and the case.
/// </summary>
public sealed class HttpFuzzTests(FuzzServerFixture server, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FuzzServerFixture>
{
    private const int Cases = 4000;
    private const int Clients = 4;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task FuzzedRequests_Never5xx_ServerHealthyIdleAndMetricsBounded()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SLINGSHOT_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20_240_611;
        var fuzzer = new RequestFuzzer(seed, ServerFixture.Model);
        var cases = Enumerable.Range(0, Cases).Select(fuzzer.Next).ToArray();
        var clock = Stopwatch.StartNew();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var next = -1;

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < cases.Length && clock.Elapsed < Budget)
            {
                var (status, problem) = await SendAsync(cases[index]);
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                if (problem is not null)
                {
                    failures.Add($"seed {seed}, {cases[index]}: {problem}");
                }
            }
        }));

        var sent = statuses.Values.Sum();
        var summary = $"{sent} cases in {clock.Elapsed.TotalSeconds:F1} s, statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))}";
        output.WriteLine(summary);
        Assert.True(failures.IsEmpty, $"{summary}\n{string.Join("\n", failures.Take(5))}");
        Assert.True(sent >= 100, $"Too few cases ran to mean anything: {summary}");
        Assert.True(statuses.GetValueOrDefault(200) > 0 && statuses.GetValueOrDefault(400) > 0, $"Mutations should give both answers and refusals: {summary}");
        Assert.Equal(200, (await server.Http.GetReplyAsync("/health")).Code);
        var metrics = await Metrics.WaitForIdleAsync(server.Http, TimeSpan.FromSeconds(5));
        Assert.True(metrics.Text.Length < 64 * 1024 && metrics.Samples.Count < 400, $"/metrics grew to {metrics.Text.Length} bytes, {metrics.Samples.Count} series");
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= LogLevel.Error);
    }

    /// <summary>Sends one case; the status, and what was wrong with the answer (null when nothing).</summary>
    private async Task<(int Status, string? Problem)> SendAsync(FuzzCase fuzzCase)
    {
        using var request = new HttpRequestMessage(fuzzCase.Method, fuzzCase.Path);
        if (fuzzCase.Method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent(fuzzCase.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(fuzzCase.ContentType!);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            // Read to the end: a stream that breaks off after its headers is a failure too.
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (status >= 500 && status != 503)
            {
                return (status, $"{status}: {body[..Math.Min(body.Length, 300)]}");
            }
            if (status >= 400 && !body.Contains("\"error\"", StringComparison.Ordinal))
            {
                return (status, $"{status} without an OpenAI error body: {body[..Math.Min(body.Length, 300)]}");
            }
            if (status == 200 && response.Content.Headers.ContentType?.MediaType == "text/event-stream" && !body.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal))
            {
                return (status, "a stream that did not end with [DONE]");
            }
            return (status, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return (0, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}

using System.CommandLine;
using System.Globalization;
using Slingshot.Cli.Benchmarks;
using Spectre.Console;

namespace Slingshot.Cli.Commands;

/// <summary>
/// <c>slingshot bench http</c>: load-tests any OpenAI-compatible server (ours or another) with concurrent clients,
/// reporting aggregate completion tokens/s and latency percentiles per concurrency level, as a table and JSON.
/// </summary>
internal static class BenchHttpCommand
{
    /// <summary>Default prompt: asks for more text than any max_tokens used here, so generation runs to the cap.</summary>
    private const string DefaultPrompt = "Write a very long story about a little dragon who learns to bake bread with her grandmother. Describe every step in detail.";

    public static Command Create()
    {
        var url = new Option<string>("--url") { Description = "Server root (the /v1 routes are appended)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var model = new Option<string>("--model", "-m") { Description = "Value of \"model\" in every request", Required = true };
        var concurrency = new Option<string>("--concurrency", "-c") { Description = "Comma-separated concurrent client counts, one level each", DefaultValueFactory = _ => "1,4,16" };
        var requests = new Option<int?>("--requests-per-client") { Description = "Requests each client sends per level (default 4 unless --requests or --duration is given)" };
        var total = new Option<int?>("--requests") { Description = "Requests per level, spread over its clients (rounded up to whole requests per client)" };
        var duration = new Option<double?>("--duration") { Description = "Seconds each level keeps starting requests (instead of --requests-per-client)" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "max_tokens of every request", DefaultValueFactory = _ => 128 };
        var n = new Option<int>("--n") { Description = "Samples per request (\"n\")", DefaultValueFactory = _ => 1 };
        var stream = new Option<bool>("--stream") { Description = "Stream the answers and also measure time to first token" };
        var ignoreEos = new Option<bool>("--ignore-eos") { Description = "Send \"ignore_eos\": true (llama-server extension; others ignore it)" };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature (0 = greedy)", DefaultValueFactory = _ => 0 };
        var seed = new Option<long?>("--seed") { Description = "Fixed seed sent with every request" };
        var prompt = new Option<string>("--prompt") { Description = "User message (chat) or prompt (completions)", DefaultValueFactory = _ => DefaultPrompt };
        var endpoint = new Option<HttpLoadEndpoint>("--endpoint") { Description = "chat (/v1/chat/completions) or completions (/v1/completions)", DefaultValueFactory = _ => HttpLoadEndpoint.Chat };
        var samePrompt = new Option<bool>("--same-prompt") { Description = "Send the identical prompt every time (lets a server's prompt cache skip prefill)" };
        var workload = new Option<HttpLoadWorkload>("--workload")
        {
            Description = "unique (every prompt numbered first: nothing to reuse), sharedsystem (one long system message, then a question each) " +
                "or multiturn (each client's conversation grows turn by turn, resending the earlier turns and answers)",
            DefaultValueFactory = _ => HttpLoadWorkload.Unique,
        };
        var systemPrompt = new Option<string?>("--system-prompt") { Description = "System message of --workload sharedsystem (default: about 300 tokens of shop-assistant instructions)" };
        var turns = new Option<int>("--turns") { Description = "Turns per conversation of --workload multiturn before a client starts a new one", DefaultValueFactory = _ => 6 };
        var apiKey = new Option<string?>("--api-key") { Description = "Bearer key" };
        var label = new Option<string?>("--label") { Description = "Name of the server in the report" };
        var json = new Option<bool>("--json") { Description = "Print only the JSON report on stdout" };
        var output = new Option<string?>("--out") { Description = "Also write the JSON report to this file" };
        var command = new Command("http", "Load-test an OpenAI-compatible server: tokens/s and p50/p90/p99 latency per concurrency level")
        {
            url, model, concurrency, requests, total, duration, maxTokens, n, stream, ignoreEos, temperature, seed, prompt, endpoint, samePrompt, workload, systemPrompt, turns, apiKey, label, json, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!Uri.TryCreate(parse.GetRequiredValue(url), UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"--url must be an absolute http(s) address (got '{parse.GetValue(url)}').");
            }
            var bounds = new object?[] { parse.GetValue(requests), parse.GetValue(total), parse.GetValue(duration) }.Count(b => b is not null);
            if (bounds > 1)
            {
                throw new ArgumentException("Give one of --requests-per-client, --requests and --duration.");
            }
            var settings = new HttpLoadSettings
            {
                BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"),
                Model = parse.GetRequiredValue(model),
                Concurrency = ParseCounts(parse.GetRequiredValue(concurrency)),
                DurationSeconds = parse.GetValue(duration),
                RequestsPerLevel = parse.GetValue(total),
                RequestsPerClient = bounds == 0 ? 4 : parse.GetValue(requests),
                MaxTokens = parse.GetValue(maxTokens),
                N = parse.GetValue(n),
                Stream = parse.GetValue(stream),
                IgnoreEos = parse.GetValue(ignoreEos),
                Temperature = parse.GetValue(temperature),
                Seed = parse.GetValue(seed),
                Prompt = parse.GetRequiredValue(prompt),
                Endpoint = parse.GetValue(endpoint),
                UniquePrompts = !parse.GetValue(samePrompt),
                Workload = parse.GetValue(workload),
                SystemPrompt = parse.GetValue(systemPrompt),
                Turns = parse.GetValue(turns),
                ApiKey = parse.GetValue(apiKey),
                Label = parse.GetValue(label),
            };
            if (settings.MaxTokens < 1 || settings.N < 1 || settings.RequestsPerClient is < 1 || settings.RequestsPerLevel is < 1 || settings.DurationSeconds is <= 0 || settings.Turns < 1)
            {
                throw new ArgumentException("--max-tokens, --n, --requests-per-client, --requests and --turns must be at least 1, --duration above 0.");
            }

            var report = await BenchmarkConsole.RunWithProgressAsync($"bench {baseUrl}",
                progress => HttpLoadBenchmark.RunAsync(settings, progress, ct));
            var text = await BenchmarkConsole.ToJsonAsync(report, parse.GetValue(output), ct);
            if (!parse.GetValue(json))
            {
                WriteTable(report);
            }
            Console.Out.WriteLine(text);
            return report.Levels.Any(l => l.Requests == 0) ? 1 : 0;
        });
        return command;
    }

    private static void WriteTable(HttpLoadReport report)
    {
        var s = report.Settings;
        var streaming = s.Stream;
        var table = new Table().Border(TableBorder.Rounded).AddColumns("clients", "n", "requests", "errors", "tok/s", "req/s", "p50 ms", "p90 ms", "p99 ms");
        if (streaming)
        {
            table.AddColumns("TTFT p50 ms", "TTFT p99 ms");
        }
        table.AddColumns("tokens/request", "prompt tokens");
        foreach (var l in report.Levels)
        {
            var row = new List<string>
            {
                I(l.Concurrency), I(l.N), I(l.Requests), l.Errors == 0 ? "0" : $"[red]{l.Errors} ({Markup.Escape(string.Join(", ", l.ErrorsByKind.Select(e => $"{e.Key}: {e.Value}")))})[/]", F(l.CompletionTokensPerSecond, "F1"), F(l.RequestsPerSecond, "F2"),
                F(l.Latency.P50Ms, "F0"), F(l.Latency.P90Ms, "F0"), F(l.Latency.P99Ms, "F0"),
            };
            if (streaming)
            {
                row.Add(F(l.TimeToFirstToken?.P50Ms ?? 0, "F0"));
                row.Add(F(l.TimeToFirstToken?.P99Ms ?? 0, "F0"));
            }
            row.Add(F(l.MeanCompletionTokens, "F1"));
            row.Add(F(l.MeanPromptTokens, "F1"));
            table.AddRow(row.ToArray());
        }
        var who = report.Label ?? report.OwnedBy ?? "server";
        var amount = s.DurationSeconds is { } d ? $"{F(d, "0.#")} s per level"
            : s.RequestsPerLevel is { } r ? $"{r} requests per level" : $"{s.RequestsPerClient} requests per client";
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(who)}[/] at {Markup.Escape(report.Url)}, model {Markup.Escape(report.Model)}: {s.Endpoint.ToString().ToLowerInvariant()}, " +
            $"{s.Workload.ToString().ToLowerInvariant()} prompts, max_tokens {s.MaxTokens}, temperature {F(s.Temperature, "0.##")}{(s.Stream ? ", streamed" : "")}, {amount}");
        AnsiConsole.Write(table);
        foreach (var l in report.Levels.Where(l => l.FirstError is not null))
        {
            AnsiConsole.MarkupLine($"[red]{l.Concurrency} clients: first error[/] {Markup.Escape(l.FirstError!)}");
        }
        if (report.Levels.Sum(l => l.UsageAdjusted) is > 0 and var adjusted)
        {
            AnsiConsole.MarkupLine($"[yellow]{adjusted} answers reported fewer completion tokens in usage than their length-finished choices hold; counted max_tokens per such choice.[/]");
        }
    }

    private static int[] ParseCounts(string text)
    {
        try
        {
            var counts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return counts.Length > 0 && counts.All(c => c is >= 1 and <= 1024) ? counts : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--concurrency must be comma-separated client counts between 1 and 1024 (got '{text}').");
        }
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

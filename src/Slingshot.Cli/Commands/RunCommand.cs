using System.CommandLine;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot run</c>: a prompt (or a chat message) to completion, one or n samples.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var models = new ModelOptionSet();
        var sampling = new SamplingOptionSet();
        var prompt = new Argument<string>("prompt") { Description = "The prompt text, or - to read it from standard input" };
        var samples = new Option<int>("--samples", "-n") { Description = "Number of samples (the prompt is decoded once and forked)", DefaultValueFactory = _ => 1 };
        var chat = new Option<bool>("--chat") { Description = "Send the prompt as a user message through the model's chat template" };
        var system = new Option<string?>("--system") { Description = "System message (implies --chat)" };
        var template = new Option<string?>("--chat-template") { Description = "Chat template override: a built-in name (chatml, llama3, ...) or template text" };
        var logprobs = new Option<int?>("--logprobs") { Description = "Report log-probabilities with N alternatives per token (0 = chosen token only)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };

        var command = new Command("run", "Generate a completion of a prompt or chat message") { prompt, samples, chat, system, template, logprobs, json };
        models.AddTo(command);
        sampling.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var n = parse.GetValue(samples);
            if (n < 1)
            {
                throw new ArgumentException($"--samples must be at least 1 (got {n}).");
            }
            var text = parse.GetRequiredValue(prompt);
            if (text == "-")
            {
                text = await Console.In.ReadToEndAsync(ct);
            }
            using var loaded = models.Load(parse, minimumSequences: n);
            var systemText = parse.GetValue(system);
            var templateText = parse.GetValue(template);
            if (parse.GetValue(chat) || systemText is not null || templateText is not null)
            {
                var turns = new List<ChatTurn>();
                if (systemText is not null)
                {
                    turns.Add(new ChatTurn("system", systemText));
                }
                turns.Add(new ChatTurn("user", text));
                text = ChatTemplate.Apply(loaded.Model, turns, addAssistantPrefix: true, templateText);
            }
            var request = sampling.Request(parse, text, n, parse.GetValue(logprobs));
            if (parse.GetValue(json))
            {
                var result = await loaded.Engine.GenerateAsync(request, ct);
                Json.Write(RunReport.From(loaded.Model, result));
                return 0;
            }
            await StreamToConsoleAsync(loaded.Engine, request, ct);
            return 0;
        });
        return command;
    }

    private static async Task StreamToConsoleAsync(LlamaEngine engine, GenerationRequest request, CancellationToken ct)
    {
        GenerationResult? result = null;
        await foreach (var update in engine.StreamAsync(request, ct))
        {
            if (request.SampleCount == 1)
            {
                Console.Out.Write(update.Text);
            }
            else if (update.Sample is { } sample)
            {
                Console.Out.WriteLine($"--- sample {sample.Index} (seed {sample.Seed}, {sample.Tokens?.Count} tokens, {sample.FinishReason.ToString().ToLowerInvariant()}) ---");
                Console.Out.WriteLine(sample.Text);
            }
            result = update.Result ?? result;
        }
        if (request.SampleCount == 1)
        {
            Console.Out.WriteLine();
        }
        ct.ThrowIfCancellationRequested();
        if (result is not null)
        {
            var t = result.Timings;
            var finish = request.SampleCount == 1 ? $", finish {result.Samples[0].FinishReason.ToString().ToLowerInvariant()}" : "";
            Console.Error.WriteLine($"{result.Usage.PromptTokens} prompt + {result.Usage.CompletionTokens} completion tokens, " +
                $"first token {t.TimeToFirstToken?.TotalMilliseconds:F0} ms, prefill {t.PrefillTokensPerSecond:F0} tok/s, decode {t.DecodeTokensPerSecond:F0} tok/s{finish}");
            if (result.Speculation is { } s)
            {
                Console.Error.WriteLine($"speculative: {s.Accepted}/{s.Drafted} drafted tokens accepted ({s.AcceptanceRate:P0}), {s.TargetPasses} target passes");
            }
        }
    }
}

/// <summary>The JSON shape of a run.</summary>
internal sealed record RunReport(string Model, IReadOnlyList<RunReport.SampleReport> Samples, TokenUsage Usage, RunReport.TimingReport Timings)
{
    /// <summary>Drafted and accepted tokens when the run was decoded speculatively.</summary>
    public SpeculationStatistics? Speculation { get; init; }

    public static RunReport From(LlamaModel model, GenerationResult result) => new(
        Path.GetFileName(model.Path),
        result.Samples.Select(s => new SampleReport(s.Index, s.Text, s.Tokens, s.FinishReason, s.Seed, s.MeanLogprob,
            s.Logprobs?.Select(l => new LogprobReport(l.Chosen.Token, l.Chosen.Text, l.Chosen.Logprob, l.TopAlternatives)).ToArray())).ToArray(),
        result.Usage,
        new TimingReport(result.Timings.QueueTime?.TotalMilliseconds, result.Timings.TimeToFirstToken?.TotalMilliseconds,
            result.Timings.PrefillTokensPerSecond, result.Timings.DecodeTokensPerSecond, result.Timings.Total.TotalMilliseconds))
    {
        Speculation = result.Speculation,
    };

    public sealed record SampleReport(int Index, string Text, IReadOnlyList<int>? Tokens, FinishReason FinishReason, long? Seed, double? MeanLogprob, IReadOnlyList<LogprobReport>? Logprobs);

    public sealed record LogprobReport(int Token, string Text, float Logprob, IReadOnlyList<TokenProbability> Top);

    /// <summary>The engine's timings; a part it did not measure (no token sampled) is null.</summary>
    public sealed record TimingReport(double? QueueMs, double? TimeToFirstTokenMs, double? PrefillTokensPerSecond, double? DecodeTokensPerSecond, double TotalMs);
}

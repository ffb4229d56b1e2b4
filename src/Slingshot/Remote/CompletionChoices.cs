using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Slingshot.Remote;

/// <summary>One choice of a chat completion: its text, why it ended, and its tokens' log-probabilities when returned.</summary>
internal sealed record CompletionChoice(string Text, FinishReason FinishReason, IReadOnlyList<TokenLogprob>? Logprobs);

/// <summary>
/// Reads every choice of a chat completion. <see cref="ChatResponse"/> carries only the first choice, but its raw
/// representation, the OpenAI client's <c>ChatCompletion</c>, keeps them all: written back to JSON it gives each
/// choice's text, finish reason and log-probabilities, and the usage of the whole request.
/// </summary>
internal static class CompletionChoices
{
    /// <summary>Remote token ids are unknown; token log-probabilities carry this id.</summary>
    public const int UnknownToken = -1;

    /// <summary>Every choice in index order, and the request's usage (null when the endpoint reported none).</summary>
    public static (IReadOnlyList<CompletionChoice> Choices, TokenUsage? Usage) Read(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.RawRepresentation is not OpenAI.Chat.ChatCompletion completion)
        {
            return ([new CompletionChoice(response.Text, response.FinishReason.ToFinishReason(), null)], response.Usage?.ToTokenUsage());
        }
        using var json = JsonDocument.Parse(ModelReaderWriter.Write(completion, ModelReaderWriterOptions.Json).ToMemory());
        var root = json.RootElement;
        var choices = new List<(int Index, CompletionChoice Choice)>();
        if (root.TryGetProperty("choices", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in array.EnumerateArray())
            {
                var index = choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : choices.Count;
                choices.Add((index, ReadChoice(choice)));
            }
        }
        var usage = root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object
            ? new TokenUsage(Int(u, "prompt_tokens"), Int(u, "completion_tokens"))
            : response.Usage?.ToTokenUsage();
        return (choices.OrderBy(c => c.Index).Select(c => c.Choice).ToList(), usage);
    }

    private static CompletionChoice ReadChoice(JsonElement choice)
    {
        var text = choice.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String ? content.GetString() ?? "" : "";
        var finish = choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String
            && reason.GetString() is { Length: > 0 } spelled ? new ChatFinishReason(spelled).ToFinishReason() : FinishReason.Stop;
        IReadOnlyList<TokenLogprob>? logprobs = null;
        if (choice.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.Object
            && lp.TryGetProperty("content", out var tokens) && tokens.ValueKind == JsonValueKind.Array)
        {
            logprobs = tokens.EnumerateArray().Select(ReadToken).ToList();
        }
        return new CompletionChoice(text, finish, logprobs);
    }

    private static TokenLogprob ReadToken(JsonElement token)
    {
        var alternatives = token.TryGetProperty("top_logprobs", out var top) && top.ValueKind == JsonValueKind.Array
            ? top.EnumerateArray().Select(Probability).ToList()
            : [];
        return new TokenLogprob(Probability(token), alternatives);
    }

    private static TokenProbability Probability(JsonElement token) => new(
        UnknownToken,
        token.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "",
        token.TryGetProperty("logprob", out var l) && l.TryGetSingle(out var value) ? value : float.NaN);

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt32(out var n) ? n : 0;
}

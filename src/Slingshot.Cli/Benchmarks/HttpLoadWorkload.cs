using System.Text.Json.Nodes;

namespace Slingshot.Cli.Benchmarks;

/// <summary>What the requests of an HTTP load benchmark have in common, which decides what a prompt cache can skip.</summary>
internal enum HttpLoadWorkload
{
    /// <summary>Every prompt starts with its request number: nothing beyond the template's first tokens is shared.</summary>
    Unique,
    /// <summary>Every request has the same long system message, then a question of its own (a served application).</summary>
    SharedSystem,
    /// <summary>
    /// Each client holds a conversation that grows turn by turn: every request resends the earlier questions and the
    /// server's answers, then asks a new question (a chat); after <see cref="HttpLoadSettings.Turns"/> turns it starts a new one.
    /// </summary>
    MultiTurn,
}

/// <summary>The messages one client sends, request after request, for a <see cref="HttpLoadWorkload"/>.</summary>
internal sealed class HttpLoadConversation(HttpLoadSettings settings, string tag)
{
    /// <summary>
    /// The default system message of <see cref="HttpLoadWorkload.SharedSystem"/>: about 300 tokens of instructions,
    /// the size of a real application's.
    /// </summary>
    public const string DefaultSystemPrompt =
        "You are the assistant of a small bakery's online shop. Answer customers politely and briefly, in the language they write in. " +
        "The shop sells bread, rolls, cakes, pastries and seasonal specialities; everything is baked every morning from organic flour, " +
        "without preservatives. Opening hours are Monday to Friday from seven to six and Saturday from seven to one; the shop is closed " +
        "on Sundays and public holidays. Orders placed online before noon can be collected the next morning; larger orders for events " +
        "need three days' notice and a deposit of twenty percent. Delivery is available within ten kilometres for orders above thirty " +
        "euros and costs five euros below that amount. Customers with allergies must be told that all products are made in a kitchen " +
        "that also handles nuts, sesame, milk, eggs and gluten, and that the staff cannot guarantee the absence of traces. Never invent " +
        "prices: the price list is on the website and changes with the seasons. If a customer complains, apologise, ask for the order " +
        "number and promise that the manager will call back within one working day. Do not discuss other shops, politics or anything " +
        "unrelated to the bakery; steer the conversation back to the customer's order. Keep every answer under one hundred words unless " +
        "the customer asks for a recipe, in which case describe every step in detail, with quantities, times and temperatures.";

    private readonly List<(string Role, string Content)> _history = [];
    private int _turn;

    /// <summary>The messages of request <paramref name="index"/> (chat endpoint) or the text they make (completions).</summary>
    public IReadOnlyList<(string Role, string Content)> Next(int index)
    {
        var question = $"[{tag}.{index}] {settings.Prompt}";
        switch (settings.Workload)
        {
            case HttpLoadWorkload.SharedSystem:
                return [("system", settings.SystemPrompt ?? DefaultSystemPrompt), ("user", question)];
            case HttpLoadWorkload.MultiTurn:
                if (_turn++ % settings.Turns == 0)
                {
                    _history.Clear();
                }
                _history.Add(("user", question));
                return [.. _history];
            default:
                return [("user", settings.UniquePrompts ? question : settings.Prompt)];
        }
    }

    /// <summary>The server's answer to the last request (its first choice), which the next turn of a conversation resends.</summary>
    public void Answered(string? text)
    {
        if (settings.Workload == HttpLoadWorkload.MultiTurn)
        {
            if (text is null)
            {
                _history.Clear(); // a failed turn: start over rather than resend a history the server never saw whole
                _turn = 0;
                return;
            }
            _history.Add(("assistant", text));
        }
    }

    /// <summary>The messages as a chat request's "messages".</summary>
    public static JsonArray ToJson(IReadOnlyList<(string Role, string Content)> messages) =>
        new([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]);

    /// <summary>The messages as one completions prompt (for models without a chat template).</summary>
    public static string ToText(IReadOnlyList<(string Role, string Content)> messages) =>
        messages.Count == 1 && messages[0].Role == "user" ? messages[0].Content : string.Join("\n\n", messages.Select(m => $"{m.Role}: {m.Content}")) + "\n\nassistant:";
}

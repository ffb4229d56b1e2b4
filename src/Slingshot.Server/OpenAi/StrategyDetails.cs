using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Strategies;
using Slingshot.Strategies.Cascades;

namespace Slingshot.Server.OpenAi;

/// <summary>
/// What a strategy model decided, as a <c>"slingshot"</c> object beside OpenAI's fields (clients ignore unknown
/// fields): the voted answer and its agreement, the route a router took, every cascade attempt with its tokens,
/// cost, latency, score and decision. Lets an operator see why a request cost what it did without the logs.
/// </summary>
internal static class StrategyDetails
{
    /// <summary>Writes the object when the response carries any strategy property; nothing otherwise.</summary>
    public static void Write(Utf8JsonWriter json, AdditionalPropertiesDictionary? properties)
    {
        if (properties is null || !properties.Keys.Any(k => k.StartsWith("slingshot.", StringComparison.Ordinal)))
        {
            return;
        }
        json.WriteStartObject("slingshot");
        WriteString(json, "answer", properties, StrategyResponseProperties.Answer);
        WriteString(json, "reason", properties, StrategyResponseProperties.Reason);
        WriteNumber(json, "agreement", properties, StrategyResponseProperties.Agreement);
        WriteNumber(json, "votes", properties, StrategyResponseProperties.Votes);
        WriteNumber(json, "voters", properties, StrategyResponseProperties.Voters);
        WriteString(json, "route", properties, StrategyResponseProperties.Route);
        WriteNumber(json, "router_score", properties, StrategyResponseProperties.RouterScore);
        if (properties.TryGetValue(StrategyResponseProperties.Attempts, out var value) && value is IEnumerable<CascadeAttempt> attempts)
        {
            json.WriteStartArray("attempts");
            foreach (var attempt in attempts)
            {
                json.WriteStartObject();
                json.WriteNumber("tier", attempt.Tier);
                json.WriteString("model", attempt.Model);
                json.WriteNumber("prompt_tokens", attempt.Usage?.InputTokenCount ?? 0);
                json.WriteNumber("completion_tokens", attempt.Usage?.OutputTokenCount ?? 0);
                json.WriteNumber("latency_ms", Math.Round(attempt.Latency.TotalMilliseconds, 1));
                WriteOptional(json, "cost_usd", attempt.CostUsd);
                WriteOptional(json, "score", attempt.Score);
                json.WriteString("decision", attempt.Decision);
                json.WriteString("escalated_because", attempt.EscalatedBecause);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter json, string name, AdditionalPropertiesDictionary properties, string key)
    {
        if (properties.TryGetValue(key, out var value) && value is string text)
        {
            json.WriteString(name, text);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, AdditionalPropertiesDictionary properties, string key)
    {
        switch (properties.TryGetValue(key, out var value) ? value : null)
        {
            case int i:
                json.WriteNumber(name, i);
                break;
            case double d:
                WriteOptional(json, name, d);
                break;
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Strategies;

namespace Slingshot.Server.OpenAi;

/// <summary>
/// What a strategy model decided, as a <c>"slingshot"</c> object beside OpenAI's fields (clients ignore unknown
/// fields): the voted answer and its agreement, the route a router took, every cascade attempt with its tokens,
/// cost, latency, score and decision. Lets an operator see why a request cost what it did without the logs.
/// </summary>
internal static class StrategyDetails
{
    /// <summary>Writes the object when the response carries a strategy outcome; nothing otherwise.</summary>
    public static void Write(Utf8JsonWriter json, AdditionalPropertiesDictionary? properties) => Write(json, properties.GetStrategyOutcome());

    /// <summary>Writes the object for <paramref name="outcome"/>; nothing when it is null.</summary>
    public static void Write(Utf8JsonWriter json, StrategyOutcome? outcome)
    {
        if (outcome is null)
        {
            return;
        }
        json.WriteStartObject("slingshot");
        WriteString(json, "answer", outcome.Answer);
        WriteString(json, "reason", outcome.Reason);
        WriteNumber(json, "agreement", outcome.Agreement);
        WriteNumber(json, "votes", outcome.Votes);
        WriteNumber(json, "voters", outcome.Voters);
        WriteString(json, "route", outcome.Route);
        WriteNumber(json, "router_score", outcome.RouterScore);
        if (outcome.Attempts is { } attempts)
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
                WriteNumber(json, "cost_usd", attempt.CostUsd);
                WriteNumber(json, "score", attempt.Score);
                json.WriteString("decision", attempt.Decision);
                json.WriteString("escalated_because", attempt.EscalatedBecause);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
    }
}

using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

public sealed class JsonSchemaGrammarTests(StoriesEngineFixture fixture) : IClassFixture<StoriesEngineFixture>
{
    private const string Schema = """
        {"type": "object", "properties": {"mood": {"enum": ["happy", "sad"]}, "ok": {"type": "boolean"}, "n": {"type": "integer"},
         "note": {"type": "string"}}, "required": ["mood", "ok", "n"]}
        """;

    [Fact]
    public async Task ResponseFormatJsonSchema_EverySampleThatStops_IsValidJsonOfTheSchema()
    {
        IChatClient client = new LlamaChatClient(fixture.Engine, new LlamaChatClientOptions { FallbackChatTemplate = "chatml" });
        using var schema = JsonDocument.Parse(Schema);
        var options = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "mood"), MaxOutputTokens = 64, Temperature = 1, Seed = 3 };

        var result = await client.GetService<ISampleSource>()!.SampleAsync(SampleRequest.Chat([new ChatMessage(ChatRole.User, "How are you?")], 8, options));

        var stopped = result.Samples.Where(s => s.FinishReason == FinishReason.Stop).ToList();
        Assert.NotEmpty(stopped);
        foreach (var sample in stopped)
        {
            using var json = JsonDocument.Parse(sample.Text);
            var root = json.RootElement;
            Assert.Contains(root.GetProperty("mood").GetString(), new[] { "happy", "sad" });
            Assert.Contains(root.GetProperty("ok").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
            Assert.True(root.GetProperty("n").TryGetInt64(out _), sample.Text);
            Assert.False(root.TryGetProperty("note", out _)); // optional properties are not generated
        }
    }

    [Theory]
    [InlineData("""{"type": "string", "pattern": "a+"}""", "pattern")]
    [InlineData("""{"type": "array", "maxItems": 99}""", "maxItems")]
    [InlineData("""{"type": "date"}""", "date")]
    [InlineData("""{"enum": []}""", "enum")]
    public void FromSchema_WhatAGrammarCannotEnforce_IsRefusedNamingIt(string schema, string expected)
    {
        using var json = JsonDocument.Parse(schema);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => JsonSchemaGrammar.FromSchema(json.RootElement)).Message);
    }

    [Fact]
    public void FromSchema_NestedObjectsArraysAndAlternatives_ProduceOneRulePerNode()
    {
        using var json = JsonDocument.Parse("""
            {"type": "object", "required": ["a", "b"], "properties": {
              "a": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "null"}]}, "minItems": 1, "maxItems": 3},
              "b": {"type": "object", "required": ["c"], "properties": {"c": {"const": 42}}}}}
            """);

        var grammar = JsonSchemaGrammar.FromSchema(json.RootElement);

        Assert.StartsWith("root ::= root-object", grammar, StringComparison.Ordinal);
        Assert.Contains("root-a-array ::= \"[\" ws (string | \"null\" ws) (\",\" ws (string | \"null\" ws))?(\",\" ws (string | \"null\" ws))? \"]\" ws", grammar, StringComparison.Ordinal);
        Assert.Contains("root-b-c ::= \"42\" ws", grammar, StringComparison.Ordinal);
    }
}

using System.Text.Json;
using Microsoft.Extensions.AI;
using NJsonSchema;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Engine;

/// <summary>
/// A random-weight Llama stand-in with Llama 2's real tokenizer (byte fallback, so every character a grammar asks for
/// has a token; stories260K's 512-token vocabulary lacks some, and a grammar with no way forward ends a sample early).
/// </summary>
public sealed class StandInEngineFixture : IDisposable
{
    public StandInEngineFixture()
    {
        var path = GeneratedModels.TempFile("standin-llama-spm-chatml.gguf");
        Slingshot.Gguf.StandInModelWriter.Write(path, Slingshot.Gguf.LlamaShape.Parse("tiny"), new Slingshot.Gguf.StandInModelOptions
        {
            VocabularyPath = Path.Combine(LlamaSource.Directory, "models", "ggml-vocab-llama-spm.gguf"),
            ChatTemplate = Slingshot.Gguf.RandomModelOptions.ChatMLTemplate,
        });
        Engine = LlamaEngine.Load(path, new EngineOptions { ContextSize = 2048, MaxSequences = 4 });
    }

    public LlamaEngine Engine { get; }

    public void Dispose() => Engine.Dispose();
}

public sealed class JsonSchemaGrammarTests(StandInEngineFixture fixture) : IClassFixture<StandInEngineFixture>
{
    /// <summary>Schemas exercising every enforced keyword, each with bounded output so a sample can finish.</summary>
    public static TheoryData<string, string> Schemas => new()
    {
        { "pattern", """
            {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
             "word": {"type": "string", "pattern": "^(yes|no)$"}}, "required": ["code", "word"], "additionalProperties": false}
            """ },
        { "integer bounds", """
            {"type": "object", "properties": {"n": {"type": "integer", "minimum": -5, "maximum": 42},
             "m": {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}, "big": {"type": "integer", "minimum": 1000}},
             "required": ["n", "m"], "additionalProperties": false}
            """ },
        { "lengths and items", """
            {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 4},
             "minItems": 1, "maxItems": 3}, "pair": {"type": "array", "prefixItems": [{"type": "boolean"}, {"type": "null"}]}},
             "required": ["tags", "pair"], "additionalProperties": false}
            """ },
        { "$ref and $defs", """
            {"$defs": {"digit": {"type": "integer", "minimum": 0, "maximum": 9},
                       "point": {"type": "object", "properties": {"x": {"$ref": "#/$defs/digit"}, "y": {"$ref": "#/$defs/digit"}},
                                 "required": ["x", "y"], "additionalProperties": false}},
             "type": "object", "properties": {"a": {"$ref": "#/$defs/point"}, "b": {"$ref": "#/$defs/point"}},
             "required": ["a", "b"], "additionalProperties": false}
            """ },
        { "enum, const, anyOf and formats", """
            {"type": "object", "properties": {"kind": {"const": "event"}, "level": {"enum": ["low", "high", 3]},
             "when": {"type": "string", "format": "date"}, "at": {"type": "string", "format": "date-time"},
             "t": {"type": "string", "format": "time"}, "id": {"type": "string", "format": "uuid"},
             "note": {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 5}]}},
             "required": ["kind", "level", "when", "at", "t", "id", "note"], "additionalProperties": false}
            """ },
        { "additionalProperties schema", """
            {"type": "object", "properties": {"id": {"type": "integer", "minimum": 0, "maximum": 99}}, "required": ["id"],
             "additionalProperties": {"type": "boolean"}}
            """ },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task ResponseFormatJsonSchema_RandomModelOverSeeds_OnlyEverEmitsJsonThatValidates(string name, string schemaText)
    {
        IChatClient client = new LlamaChatClient(fixture.Engine, new LlamaChatClientOptions { FallbackChatTemplate = "chatml" });
        // NJsonSchema resolves references into "definitions" only; llama.cpp follows either spelling.
        var validator = await JsonSchema.FromJsonAsync(schemaText.Replace("$defs", "definitions", StringComparison.Ordinal));
        using var schema = JsonDocument.Parse(schemaText);
        var stopped = 0;
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            var options = new ChatOptions
            {
                ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.RootElement.Clone(), "answer"),
                MaxOutputTokens = 400,
                Temperature = 1.5f,
                Seed = seed,
            };
            var result = await client.GetService<ISampleSource>()!.SampleAsync(SampleRequest.Chat([new ChatMessage(ChatRole.User, "Answer in JSON.")], 4, options));
            foreach (var sample in result.Samples.Where(s => s.FinishReason == FinishReason.Stop))
            {
                stopped++;
                var errors = validator.Validate(sample.Text);
                Assert.True(errors.Count == 0, $"{name}, seed {seed}: {sample.Text}\n{string.Join("\n", errors)}");
            }
        }
        Assert.True(stopped >= 8, $"{name}: only {stopped} of 16 samples finished within the token limit");
    }

    [Theory]
    [InlineData("""{"type": "number", "minimum": 1}""", "'minimum'")]
    [InlineData("""{"not": {"type": "string"}}""", "'not'")]
    [InlineData("""{"type": "array", "uniqueItems": true}""", "'uniqueItems'")]
    [InlineData("""{"type": "object", "patternProperties": {"^a": {}}}""", "'patternProperties'")]
    [InlineData("""{"type": "string", "format": "email"}""", "email")]
    [InlineData("""{"type": "string", "pattern": "[a-z]+"}""", "pattern '[a-z]+'")]
    [InlineData("""{"type": "string", "pattern": "^(?=a)a+$"}""", "pattern '^(?=a)a+$'")]
    [InlineData("""{"type": "string", "pattern": "^a+$", "maxLength": 3}""", "'maxLength'")]
    [InlineData("""{"type": "integer", "minimum": 1, "exclusiveMinimum": 0}""", "'exclusiveMinimum'")]
    [InlineData("""{"$ref": "#/$defs/a", "description": "x", "type": "object"}""", "'type'")]
    [InlineData("""{"$ref": "#/$defs/missing"}""", "$ref")]
    [InlineData("""{"type": "date"}""", "date")]
    [InlineData("""{"enum": []}""", "enum")]
    [InlineData("""{"type": "array", "items": {"type": "string", "contains": {}}}""", "#/items")]
    public void FromSchema_WhatTheGrammarCannotEnforce_IsAOneLineErrorNamingIt(string schema, string expected)
    {
        using var json = JsonDocument.Parse(schema);

        var error = Assert.Throws<ArgumentException>(() => JsonSchemaGrammar.FromSchema(json.RootElement));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void FromSchema_IsLlamaCppsOwnGrammar()
    {
        using var json = JsonDocument.Parse("""{"type": "object", "properties": {"n": {"type": "integer", "minimum": 1, "maximum": 12}}, "required": ["n"]}""");

        var grammar = JsonSchemaGrammar.FromSchema(json.RootElement);

        // llama-server's rules: the bounded integer spelled out digit by digit, "space" between tokens.
        Assert.Contains("n ::= ([1-9] | \"1\" [0-2])\n", grammar, StringComparison.Ordinal);
        Assert.Contains("root ::= \"{\" space n-kv space \"}\"\n", grammar, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSchema_DateAndTimeFormats_AdmitOnlyRealDatesAndOffsets()
    {
        using var json = JsonDocument.Parse("""{"type": "string", "format": "date-time"}""");

        var grammar = JsonSchemaGrammar.FromSchema(json.RootElement);

        // llama.cpp's own rules would admit 2024-02-31, year 0000 and +23:59; the grammar must hold the exact ones.
        Assert.Contains("\"02\" \"-\" ( \"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8] )", grammar, StringComparison.Ordinal);
        Assert.DoesNotContain("[0-9]{4} \"-\"", grammar, StringComparison.Ordinal);
        Assert.Contains("( \"0\" [0-9] | \"1\" [0-3] ) \":\" [0-5] [0-9] )", grammar, StringComparison.Ordinal);
    }
}

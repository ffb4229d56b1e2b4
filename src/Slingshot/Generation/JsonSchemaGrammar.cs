using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slingshot.Native;

namespace Slingshot;

/// <summary>
/// Turns a JSON schema into a GBNF grammar, so sampling can only produce JSON of that shape (OpenAI's
/// <c>response_format: json_schema</c>), with llama.cpp's own converter (<c>json_schema_to_grammar</c>, what
/// llama-server uses) through the chat bridge. Enforced: <c>type</c> (one or a list), <c>properties</c>,
/// <c>required</c>, <c>additionalProperties</c>, <c>items</c>/<c>prefixItems</c>, <c>minItems</c>/<c>maxItems</c>,
/// <c>enum</c>, <c>const</c>, <c>anyOf</c>/<c>oneOf</c> (alternatives; oneOf's exclusivity is not checked),
/// <c>allOf</c>, local <c>$ref</c> into <c>$defs</c>/<c>definitions</c>, <c>pattern</c> (anchored <c>^...$</c>
/// regular expressions the converter can translate), <c>format</c> date, time, date-time and uuid,
/// <c>minLength</c>/<c>maxLength</c>, and <c>minimum</c>/<c>maximum</c>/<c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>
/// on integers. Anything else, or a keyword where the converter would ignore it, is refused with an
/// <see cref="ArgumentException"/> naming it, rather than silently not enforced.
/// </summary>
public static class JsonSchemaGrammar
{
    private static readonly ConcurrentDictionary<string, bool> s_patternSupport = new(StringComparer.Ordinal);
    // What the converter writes for a pattern it cannot translate (one not anchored with ^ and $ is never translated).
    private static readonly Lazy<string> s_untranslated = new(() => Convert("""{"type": "string", "pattern": "untranslatable"}"""));

    /// <summary>The grammar for <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentException">The schema uses a keyword the grammar cannot enforce, or is malformed.</exception>
    /// <exception cref="SlingshotException">The chat bridge (libslingshot-chat.so) is not available.</exception>
    public static string FromSchema(JsonElement schema)
    {
        foreach (var (pattern, path) in JsonSchemaSupport.Check(schema))
        {
            if (!s_patternSupport.GetOrAdd(pattern, IsTranslatable))
            {
                throw new ArgumentException(
                    $"JSON schema pattern '{pattern}' at {path} cannot be enforced: the grammar translates only regular expressions anchored with ^ and $ without lookarounds, backreferences or word boundaries.");
            }
        }
        return TightenDatesAndTimes(Convert(schema.ValueKind == JsonValueKind.True ? "{}" : schema.GetRawText()));
    }

    // llama.cpp's format rules (STRING_FORMAT_RULES in common/json-schema-to-grammar.cpp) check dates and times by shape
    // only: they admit 2024-02-31, the year 0000 and offsets up to +23:59, which validators reject (.NET takes offsets
    // up to 14 hours). Slingshot writes the exact subset instead: days that exist in their month (29 February left out,
    // as it exists only in leap years), years 0001-9999, offsets up to 13:59.
    private const string LlamaDate = "date ::= [0-9]{4} \"-\" ( \"0\" [1-9] | \"1\" [0-2] ) \"-\" ( \"0\" [1-9] | [1-2] [0-9] | \"3\" [0-1] )\n";
    private const string ExactDate = "date ::= ( [1-9] [0-9]{3} | \"0\" [1-9] [0-9]{2} | \"00\" [1-9] [0-9] | \"000\" [1-9] ) \"-\" ( "
        + "( \"0\" [13578] | \"1\" [02] ) \"-\" ( \"0\" [1-9] | [1-2] [0-9] | \"3\" [0-1] ) | "
        + "( \"0\" [469] | \"11\" ) \"-\" ( \"0\" [1-9] | [1-2] [0-9] | \"30\" ) | "
        + "\"02\" \"-\" ( \"0\" [1-9] | \"1\" [0-9] | \"2\" [0-8] ) )\n";
    private const string LlamaOffset = "( \"+\" | \"-\" ) ( [01] [0-9] | \"2\" [0-3] ) \":\" [0-5] [0-9] )\n";
    private const string ExactOffset = "( \"+\" | \"-\" ) ( \"0\" [0-9] | \"1\" [0-3] ) \":\" [0-5] [0-9] )\n";

    private static string TightenDatesAndTimes(string grammar) =>
        grammar.Replace(LlamaDate, ExactDate, StringComparison.Ordinal).Replace(LlamaOffset, ExactOffset, StringComparison.Ordinal);

    /// <summary>
    /// Whether llama.cpp translates <paramref name="pattern"/>: one it cannot translate it replaces by "any string"
    /// with only a warning on stderr, so its grammar is then the same as that of a pattern it never translates.
    /// </summary>
    private static bool IsTranslatable(string pattern) =>
        Convert(new JsonObject { ["type"] = "string", ["pattern"] = pattern }.ToJsonString()) != s_untranslated.Value;

    private static string Convert(string schemaJson)
    {
        try
        {
            return ChatBridge.JsonSchemaToGrammar(schemaJson);
        }
        catch (ChatBridgeException ex)
        {
            throw new ArgumentException($"JSON schema cannot be turned into a grammar: {ex.Message.Replace("JSON schema conversion failed: ", "", StringComparison.Ordinal)}");
        }
        catch (LlamaLibraryException ex)
        {
            throw new SlingshotException(ex.Message, ex);
        }
    }
}

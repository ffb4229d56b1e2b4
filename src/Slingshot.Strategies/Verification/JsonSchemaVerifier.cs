using System.Text.Json;
using NJsonSchema;
using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a sample that holds JSON valid against a JSON schema. The JSON is the whole text when it parses,
/// else the first fenced <c>json</c> (or unlabelled) block that parses, else the first balanced
/// <c>{...}</c> object in the text that parses: models often wrap the object in prose.
/// </summary>
public sealed class JsonSchemaVerifier : IVerifier
{
    private readonly JsonSchema schema;

    /// <summary>Creates the verifier for a parsed schema.</summary>
    /// <param name="schema">The schema samples must satisfy.</param>
    public JsonSchemaVerifier(JsonSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        this.schema = schema;
    }

    /// <summary>Creates the verifier from the schema's JSON text.</summary>
    /// <param name="schemaJson">A JSON schema document.</param>
    /// <param name="cancellationToken">Cancels reading the schema.</param>
    public static async Task<JsonSchemaVerifier> FromJsonAsync(string schemaJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        var schema = await JsonSchema.FromJsonAsync(schemaJson, cancellationToken).ConfigureAwait(false);
        return new JsonSchemaVerifier(schema);
    }

    /// <inheritdoc />
    public string Name => "json-schema";

    /// <inheritdoc />
    public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (FindJson(text) is not { } json)
        {
            return ValueTask.FromResult(Verdict.Fail("no JSON found"));
        }
        var firstError = schema.Validate(json).FirstOrDefault();
        var verdict = firstError is null
            ? Verdict.Pass("valid against the schema")
            : Verdict.Fail(VerdictText.Shorten($"{firstError.Kind} at {firstError.Path}"));
        return ValueTask.FromResult(verdict);
    }

    /// <summary>The JSON a sample holds, by the rules in the class summary, or null.</summary>
    internal static string? FindJson(string text)
    {
        var trimmed = text.Trim();
        if (Parses(trimmed))
        {
            return trimmed;
        }
        if (FencedCodeBlock.Find(text, "json") is { } block && Parses(block))
        {
            return block.Trim();
        }
        for (var start = text.IndexOf('{'); start >= 0; start = text.IndexOf('{', start + 1))
        {
            if (JsonInText.ObjectLength(text, start) is { } length && Parses(text.Substring(start, length)))
            {
                return text.Substring(start, length);
            }
        }
        return null;
    }

    private static bool Parses(string candidate)
    {
        if (candidate.Length == 0)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(candidate);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

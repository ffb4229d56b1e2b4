using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Verification;

public sealed class JsonSchemaVerifierTests
{
    private const string PersonSchema = """
        {
          "type": "object",
          "required": ["name", "age"],
          "properties": {
            "name": { "type": "string" },
            "age": { "type": "integer", "minimum": 0 },
            "born": { "type": "string" }
          },
          "additionalProperties": false
        }
        """;

    [Fact]
    public async Task Verify_ValidObject_Passes()
    {
        var verifier = await JsonSchemaVerifier.FromJsonAsync(PersonSchema);

        var verdict = await verifier.VerifyAsync("""{"name": "Ada", "age": 36, "born": "1815-12-10"}""", VerificationContext.Empty);

        Assert.True(verdict.Passed, verdict.Reason);
        Assert.Equal("json-schema", verifier.Name);
    }

    [Fact]
    public async Task Verify_MissingProperty_NamesIt()
    {
        var verifier = await JsonSchemaVerifier.FromJsonAsync(PersonSchema);

        var verdict = await verifier.VerifyAsync("""{"name": "Ada"}""", VerificationContext.Empty);

        Assert.False(verdict.Passed);
        Assert.Equal("PropertyRequired at #/age", verdict.Reason);
    }

    [Fact]
    public async Task Verify_WrongType_NamesThePath()
    {
        var verifier = await JsonSchemaVerifier.FromJsonAsync(PersonSchema);

        var verdict = await verifier.VerifyAsync("""{"name": "Ada", "age": "old"}""", VerificationContext.Empty);

        Assert.False(verdict.Passed);
        Assert.Equal("IntegerExpected at #/age", verdict.Reason);
    }

    [Fact]
    public async Task Verify_FencedJsonBlock_IsWhatIsChecked()
    {
        var verifier = await JsonSchemaVerifier.FromJsonAsync(PersonSchema);
        const string Sample = "Here you go:\n```json\n{\"name\": \"Grace\", \"age\": 85}\n```\nAnything else?";

        var verdict = await verifier.VerifyAsync(Sample, VerificationContext.Empty);

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Fact]
    public async Task Verify_ObjectInProse_IsFoundPastBracesInStrings()
    {
        var verifier = await JsonSchemaVerifier.FromJsonAsync(PersonSchema);
        const string Sample = "The {person} is {\"name\": \"a } and { b\", \"age\": 3} as asked.";

        var verdict = await verifier.VerifyAsync(Sample, VerificationContext.Empty);

        Assert.True(verdict.Passed, verdict.Reason);
    }

    [Fact]
    public async Task Verify_NoJson_Fails()
    {
        var verifier = await JsonSchemaVerifier.FromJsonAsync(PersonSchema);

        var verdict = await verifier.VerifyAsync("I cannot produce {that}.", VerificationContext.Empty);

        Assert.Equal(Verdict.Fail("no JSON found"), verdict);
    }
}

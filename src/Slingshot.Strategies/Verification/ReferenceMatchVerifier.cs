using Slingshot.Strategies.Extraction;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a sample whose answer equals the reference answer, both in the extractor's canonical form (so
/// equality is plain string equality, as for majority vote). The sample's answer is
/// <see cref="VerificationContext.Answer"/> when an extractor already ran, else it is extracted from the
/// text with the same extractor that normalizes the reference.
/// </summary>
public sealed class ReferenceMatchVerifier : IVerifier
{
    private const int MaxAnswerLength = 80;

    private readonly IAnswerExtractor extractor;

    /// <summary>Creates the verifier.</summary>
    /// <param name="extractor">Normalizes the reference and, when needed, extracts the sample's answer.</param>
    public ReferenceMatchVerifier(IAnswerExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        this.extractor = extractor;
    }

    /// <inheritdoc />
    public string Name => "match";

    /// <inheritdoc />
    public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Judge(text, context));
    }

    private Verdict Judge(string text, VerificationContext context)
    {
        if (context.Reference is null)
        {
            return Verdict.Fail("no reference answer to compare with");
        }
        var reference = extractor.NormalizeReference(context.Reference);
        var answer = context.Answer ?? extractor.Extract(text);
        if (answer is null)
        {
            return Verdict.Fail($"no answer found (expected {Show(reference)})");
        }
        return string.Equals(answer, reference, StringComparison.Ordinal)
            ? Verdict.Pass($"answer {Show(answer)} matches the reference")
            : Verdict.Fail($"expected {Show(reference)}, got {Show(answer)}");
    }

    private static string Show(string answer) => VerdictText.Shorten(answer, MaxAnswerLength);
}

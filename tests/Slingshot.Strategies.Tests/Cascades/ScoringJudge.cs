using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Tests.Cascades;

/// <summary>
/// A judge for tests (no judge model runs here): the text is the score it gives, as a judge model's P(yes)
/// would be; it passes at 0.5 or more.
/// </summary>
internal sealed class ScoringJudge : IVerifier
{
    public string Name => "judge";

    public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        var score = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.FromResult(new Verdict(score >= 0.5, $"P(yes) = {text}") { Score = score });
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Slingshot.Strategies.Verification;

/// <summary>
/// Passes a sample whose text matches a .NET regular expression. Matching is bounded by a timeout, so a
/// pathological pattern or sample fails the sample instead of hanging the run.
/// </summary>
public sealed class RegexVerifier : IVerifier
{
    /// <summary>How long one match may take unless another timeout is given.</summary>
    public static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex regex;

    /// <summary>Creates the verifier.</summary>
    /// <param name="pattern">A .NET regular expression.</param>
    /// <param name="options">Regex options (for example <see cref="RegexOptions.IgnoreCase"/>).</param>
    /// <param name="matchTimeout">Longest one match may take; <see cref="DefaultMatchTimeout"/> when null.</param>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public RegexVerifier(string pattern, RegexOptions options = RegexOptions.None, TimeSpan? matchTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var timeout = matchTimeout ?? DefaultMatchTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(matchTimeout));
        regex = new Regex(pattern, options, timeout);
    }

    /// <inheritdoc />
    public string Name => "regex";

    /// <inheritdoc />
    public ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var pattern = VerdictText.Shorten(regex.ToString(), 80);
        try
        {
            var verdict = regex.IsMatch(text)
                ? Verdict.Pass($"matches /{pattern}/")
                : Verdict.Fail($"does not match /{pattern}/");
            return ValueTask.FromResult(verdict);
        }
        catch (RegexMatchTimeoutException)
        {
            return ValueTask.FromResult(Verdict.Fail(string.Create(CultureInfo.InvariantCulture,
                $"matching /{pattern}/ timed out after {regex.MatchTimeout.TotalSeconds:0.###} s")));
        }
    }
}

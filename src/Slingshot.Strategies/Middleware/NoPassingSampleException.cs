using Microsoft.Extensions.AI;
using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies;

/// <summary>
/// Thrown by <see cref="VerifierChatClient"/> configured with <see cref="NoPassingSampleBehavior.Throw"/> when
/// none of the k samples passes: carries what was drawn and judged, and what it cost.
/// </summary>
public sealed class NoPassingSampleException : Exception
{
    /// <summary>Creates the exception for samples that all failed.</summary>
    public NoPassingSampleException(string verifier, IReadOnlyList<Sample> candidates, IReadOnlyList<Verdict?> verdicts, UsageDetails usage)
        : base($"None of {candidates.Count} samples passed verifier '{verifier}'.")
    {
        Verifier = verifier;
        Candidates = candidates;
        Verdicts = verdicts;
        Usage = usage;
    }

    /// <summary>The verifier's name.</summary>
    public string Verifier { get; }

    /// <summary>The samples drawn.</summary>
    public IReadOnlyList<Sample> Candidates { get; }

    /// <summary>Each sample's verdict.</summary>
    public IReadOnlyList<Verdict?> Verdicts { get; }

    /// <summary>Tokens spent on the samples.</summary>
    public UsageDetails Usage { get; }
}

namespace Slingshot;

/// <summary>How speculation went for one request.</summary>
/// <param name="Drafted">Tokens proposed by the drafter (draft model or prompt lookup).</param>
/// <param name="Accepted">Drafted tokens the target accepted.</param>
/// <param name="TargetPasses">Target decode passes after the prompt: each yields the accepted draft plus one token of the target's own.</param>
/// <param name="DraftPasses">Draft model decode passes (0 with prompt lookup only).</param>
public sealed record SpeculationStatistics(int Drafted, int Accepted, int TargetPasses, int DraftPasses)
{
    /// <summary>Accepted / drafted (0 when nothing was drafted).</summary>
    public double AcceptanceRate => Drafted == 0 ? 0 : (double)Accepted / Drafted;
}

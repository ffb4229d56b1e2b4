using Slingshot.Generation.Speculative;

namespace Slingshot.Tests.Speculative;

public sealed class AdaptiveDraftLengthTests
{
    [Theory]
    [InlineData(0, 0, 4)]       // no evidence yet: rate 1/2, 0.5^4 < 0.1
    [InlineData(83, 100, 8)]    // a good draft: 0.82^8 = 0.2, capped at the maximum
    [InlineData(50, 100, 4)]    // half accepted: 0.5^4 = 0.06
    [InlineData(5, 100, 1)]     // a poor draft: one token at a time
    public void AdaptedDraftLength_FollowsTheAcceptanceRate(int accepted, int drafted, int expected)
    {
        Assert.Equal(expected, SpeculativeDecoder.AdaptedDraftLength(accepted, drafted, draftMax: 8));
    }
}

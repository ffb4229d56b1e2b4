using Slingshot.Generation.Speculative;

namespace Slingshot.Tests.Speculative;

public sealed class PromptLookupTests
{
    [Fact]
    public void Propose_TrailingTrigramSeenBefore_ProposesWhatFollowedIt()
    {
        int[] history = [1, 2, 3, 4, 5, 6, 9, 2, 3, 4];
        var draft = new int[3];

        var count = PromptLookup.Propose(history, 3, draft);

        Assert.Equal(3, count);
        Assert.Equal([5, 6, 9], draft);
    }

    [Fact]
    public void Propose_SeveralOccurrences_PrefersTheMostRecent()
    {
        int[] history = [7, 1, 7, 2, 7];
        var draft = new int[1];

        Assert.Equal(1, PromptLookup.Propose(history, 1, draft));
        Assert.Equal(2, draft[0]);
    }

    [Fact]
    public void Propose_NoEarlierOccurrence_ProposesNothing()
    {
        int[] history = [1, 2, 3, 4];

        Assert.Equal(0, PromptLookup.Propose(history, 3, new int[4]));
    }

    [Fact]
    public void Propose_MatchNearTheEnd_ProposesOnlyWhatExists()
    {
        int[] history = [5, 8, 5];
        var draft = new int[4];

        Assert.Equal(2, PromptLookup.Propose(history, 2, draft));
        Assert.Equal([8, 5], draft[..2]);
    }
}

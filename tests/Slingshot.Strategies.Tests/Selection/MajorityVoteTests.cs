using Slingshot.Strategies.Selection;

namespace Slingshot.Strategies.Tests.Selection;

public sealed class MajorityVoteTests
{
    [Fact]
    public void Tally_TwoAnswersTied_FirstSeenWins()
    {
        var vote = MajorityVote.Tally(["7", "8", "7", "8"]);

        Assert.Equal("7", vote.Winner);
        Assert.Equal(0, vote.WinnerIndex);
        Assert.Equal(2, vote.WinnerCount);
        Assert.Equal(0.5, vote.Agreement);
    }

    [Fact]
    public void Tally_SameTieInOtherOrder_OtherAnswerWins()
    {
        var vote = MajorityVote.Tally(["8", "7", "7", "8"]);

        Assert.Equal("8", vote.Winner);
        Assert.Equal(0, vote.WinnerIndex);
    }

    [Fact]
    public void Tally_LaterAnswerWithMoreVotes_BeatsFirstSeen()
    {
        var vote = MajorityVote.Tally(["1", "2", "2"]);

        Assert.Equal("2", vote.Winner);
        Assert.Equal(1, vote.WinnerIndex);
        Assert.Equal(2.0 / 3, vote.Agreement, 12);
    }

    [Fact]
    public void Tally_UnextractableSamples_DoNotVote()
    {
        // Five samples, three voters: "5" once, "6" twice. Agreement among voters 2/3, among all 2/5.
        var vote = MajorityVote.Tally([null, "5", null, "6", "6"]);

        Assert.Equal("6", vote.Winner);
        Assert.Equal(3, vote.WinnerIndex);
        Assert.Equal(3, vote.Voters);
        Assert.Equal(5, vote.Total);
        Assert.Equal(2.0 / 3, vote.Agreement, 12);
        Assert.Equal(0.4, vote.AgreementOfAll, 12);
        Assert.Equal(vote.Agreement, vote.Share, 12);
    }

    [Fact]
    public void Tally_TieAmongVoters_GoesToFirstSeenVoterNotFirstSample()
    {
        // Sample 0 has no answer; "3" (first seen at 1) and "4" (at 2) tie with two votes each.
        var vote = MajorityVote.Tally([null, "3", "4", null, "4", "3"]);

        Assert.Equal("3", vote.Winner);
        Assert.Equal(1, vote.WinnerIndex);
        Assert.Equal(4, vote.Voters);
    }

    [Fact]
    public void Tally_OneVoterAmongSilentSamples_WinsWithFullAgreement()
    {
        var vote = MajorityVote.Tally([null, null, null, "2"]);

        Assert.Equal("2", vote.Winner);
        Assert.Equal(1.0, vote.Agreement);
        Assert.Equal(0.25, vote.AgreementOfAll);
    }

    [Fact]
    public void Tally_NoVoters_NoWinner()
    {
        var vote = MajorityVote.Tally([null, null]);

        Assert.False(vote.HasWinner);
        Assert.Null(vote.WinnerIndex);
        Assert.Equal(0, vote.Voters);
        Assert.Equal(0, vote.Agreement);
        Assert.Empty(vote.Tally);
        var selection = vote.ToSelection();
        Assert.False(selection.HasSelection);
        Assert.Contains("none of 2", selection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Tally_NoSamples_NoWinner()
    {
        var vote = MajorityVote.Tally(Array.Empty<string?>());

        Assert.Null(vote.Winner);
        Assert.Equal(0, vote.Total);
        Assert.Equal(0, vote.AgreementOfAll);
    }

    [Fact]
    public void Tally_AnswersDifferingInCase_AreDifferentAnswers()
    {
        var vote = MajorityVote.Tally(["A", "a", "a"]);

        Assert.Equal("a", vote.Winner);
        Assert.Equal(2, vote.Tally.Count);
    }

    [Fact]
    public void Tally_FullTally_ListsAnswersInFirstSeenOrder()
    {
        var vote = MajorityVote.Tally(["b", null, "a", "b", "c", "a", "b"]);

        Assert.Equal(
            [new AnswerTally("b", 3, 3, 0), new AnswerTally("a", 2, 2, 2), new AnswerTally("c", 1, 1, 4)],
            vote.Tally);
        Assert.Equal(6, vote.Voters);
    }

    [Fact]
    public void Tally_WithExtractor_ExtractsThenVotes()
    {
        string[] texts = ["so the answer: 12", "I am not sure", "answer: 13", "answer: 12", "answer: 13"];

        var vote = MajorityVote.Tally(texts, new AfterColonExtractor());

        Assert.Equal("12", vote.Winner);
        Assert.Equal(0, vote.WinnerIndex);
        Assert.Equal(4, vote.Voters);
    }

    [Fact]
    public void ToSelection_Winner_ReportsFirstSampleAnswerAndAgreement()
    {
        var selection = MajorityVote.Tally([null, "5", "6", "6"]).ToSelection();

        Assert.Equal(2, selection.Index);
        Assert.Equal("6", selection.Answer);
        Assert.Equal(2.0 / 3, selection.Confidence!.Value, 12);
        Assert.Equal("'6' won 2 of 3 votes; 1 without an answer", selection.Reason);
    }
}

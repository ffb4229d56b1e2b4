using Microsoft.Extensions.AI;

namespace Slingshot.Tests.Sampling;

/// <summary>The one usage mapping, the one finish-reason mapping, the one price formula and the one timings shape.</summary>
public sealed class ContractMappingTests
{
    [Fact]
    public void Usage_RoundTripsThroughUsageDetails()
    {
        var usage = new TokenUsage(12, 30);

        var details = usage.ToUsageDetails();

        Assert.Equal((12L, 30L, 42L), (details.InputTokenCount!.Value, details.OutputTokenCount!.Value, details.TotalTokenCount!.Value));
        Assert.Equal(usage, details.ToTokenUsage());
        Assert.Equal(new TokenUsage(0, 5), new UsageDetails { OutputTokenCount = 5 }.ToTokenUsage());
        Assert.Equal(new TokenUsage(13, 32), usage + new TokenUsage(1, 2));
    }

    [Theory]
    [InlineData(FinishReason.Stop)]
    [InlineData(FinishReason.Length)]
    [InlineData(FinishReason.Cancelled)]
    public void FinishReason_RoundTripsThroughChatFinishReason(FinishReason reason)
    {
        Assert.Equal(reason, reason.ToChatFinishReason().ToFinishReason());
    }

    [Fact]
    public void FinishReason_OtherChatReasons_AreANormalStop()
    {
        Assert.Equal("cancelled", FinishReason.Cancelled.ToChatFinishReason().Value);
        Assert.Equal(FinishReason.Stop, ((ChatFinishReason?)null).ToFinishReason());
        Assert.Equal(FinishReason.Stop, ChatFinishReason.ContentFilter.ToFinishReason());
        Assert.Equal(FinishReason.Length, new ChatFinishReason("length").ToFinishReason());
    }

    [Fact]
    public void TokenPrice_CostsPerMillion()
    {
        var price = new TokenPrice(0.5, 2);

        Assert.Equal((1000 * 0.5 + 250 * 2) / 1e6, price.Cost(1000, 250), 12);
        Assert.Equal(price.Cost(1000, 250), price.Cost(new TokenUsage(1000, 250)), 12);
        Assert.Equal(price.Cost(1000, 250), price.Cost(new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 250 }), 12);
        Assert.Equal(0, price.Cost((UsageDetails?)null));
        Assert.Throws<ArgumentException>(new TokenPrice(-1, 0).Validate);
        Assert.Throws<ArgumentException>(new TokenPrice(0, double.NaN).Validate);
    }

    [Fact]
    public void Timings_TotalOnly_LeavesEveryOtherPartUnknown()
    {
        var timings = GenerationTimings.TotalOnly(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(2), timings.Total);
        Assert.Null(timings.QueueTime);
        Assert.Null(timings.TimeToFirstToken);
        Assert.Null(timings.PrefillTokensPerSecond);
        Assert.Null(timings.DecodeTokensPerSecond);
        Assert.Equal(50, GenerationTimings.Rate(100, TimeSpan.FromSeconds(2)));
        Assert.Null(GenerationTimings.Rate(100, TimeSpan.Zero));
    }
}

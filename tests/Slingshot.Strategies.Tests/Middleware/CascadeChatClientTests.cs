using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Tests.Middleware;

public sealed class CascadeChatClientTests
{
    private static FakeChatClient Answering(string text, string model, double? agreement, int input, int output, List<string> calls) => new()
    {
        GetResponseAsyncCallback = (_, _, _) =>
        {
            lock (calls)
            {
                calls.Add(model);
            }
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                ModelId = model,
                Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
            };
            if (agreement is { } a)
            {
                response.AdditionalProperties = new() { [StrategyResponseProperties.Agreement] = a };
            }
            return Task.FromResult(response);
        },
    };

    [Fact]
    public async Task GetResponse_ConfidentFirstTier_AnswersLocallyAndNeverCallsTheNext()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("18", "small", 0.9, 10, 5, calls))
            .UseCascade(Answering("17", "large", null, 10, 2, calls), CascadeChatClient.AgreementBelow(0.6))
            .Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("18", response.Text);
        Assert.Equal(["small"], calls);
        var attempt = Assert.Single((IEnumerable<CascadeAttempt>)response.AdditionalProperties![StrategyResponseProperties.Attempts]!);
        Assert.Null(attempt.EscalatedBecause);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponse_LowAgreement_EscalatesAndReportsEveryAttempt()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("18", "small", 0.25, 40, 32, calls))
            .UseCascade(Answering("17", "large", null, 12, 3, calls), CascadeChatClient.AgreementBelow(0.6))
            .Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("17", response.Text);
        Assert.Equal(["small", "large"], calls);
        var attempts = ((IEnumerable<CascadeAttempt>)response.AdditionalProperties![StrategyResponseProperties.Attempts]!).ToList();
        Assert.Equal(["small", "large"], attempts.Select(a => a.Model));
        Assert.Equal("agreement 0.25 below 0.6", attempts[0].EscalatedBecause);
        Assert.Null(attempts[1].EscalatedBecause);
        Assert.Equal(52, response.Usage!.InputTokenCount);
        Assert.Equal(35, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponse_NestedCascades_ListAllThreeTiers()
    {
        var calls = new List<string>();
        using var inner = new ChatClientBuilder(Answering("a", "medium", 0.3, 1, 1, calls))
            .UseCascade(Answering("b", "large", null, 1, 1, calls), CascadeChatClient.AgreementBelow(0.5)).Build();
        using var cascade = new ChatClientBuilder(Answering("c", "small", 0.1, 1, 1, calls))
            .UseCascade(inner, CascadeChatClient.AgreementBelow(0.5)).Build();

        var response = await cascade.GetResponseAsync("q");

        Assert.Equal("b", response.Text);
        Assert.Equal(["small", "medium", "large"], ((IEnumerable<CascadeAttempt>)response.AdditionalProperties![StrategyResponseProperties.Attempts]!).Select(a => a.Model));
        Assert.Equal(6, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task AgreementBelow_MissingAgreement_CountsAsZeroAndEscalates()
    {
        var calls = new List<string>();
        using var cascade = new ChatClientBuilder(Answering("x", "small", null, 1, 1, calls))
            .UseCascade(Answering("y", "large", null, 1, 1, calls), CascadeChatClient.AgreementBelow(0.01)).Build();

        Assert.Equal("y", (await cascade.GetResponseAsync("q")).Text);
    }
}

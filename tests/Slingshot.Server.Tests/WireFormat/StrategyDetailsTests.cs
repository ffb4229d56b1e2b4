using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Slingshot.Server.OpenAi;
using Slingshot.Strategies;
using Slingshot.Strategies.Cascades;

namespace Slingshot.Server.Tests.WireFormat;

/// <summary>The "slingshot" object is written from the typed strategy outcome, field for field as clients read it.</summary>
public sealed class StrategyDetailsTests
{
    private static string Written(AdditionalPropertiesDictionary? properties)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            StrategyDetails.Write(json, properties);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void Write_EveryPartOfAnOutcome_KeepsTheWireShape()
    {
        var outcome = new StrategyOutcome
        {
            Reason = "5 won 2 of 3 votes",
            Answer = "5",
            Agreement = 0.5,
            Votes = 2,
            Voters = 4,
            Route = "small",
            RouterScore = 0.25,
            Attempts =
            [
                new CascadeAttempt("cheap", new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3 }, TimeSpan.FromMilliseconds(12.34),
                    "agreement 0.5 below 0.6") { Tier = 0, CostUsd = 0.5, Score = 0.5, Decision = "agreement 0.5 below 0.6" },
                new CascadeAttempt("big", null, TimeSpan.FromMilliseconds(1), null) { Tier = 1, Decision = "no escalation test" },
            ],
        };

        var written = Written(new ChatResponse().WithStrategyOutcome(outcome).AdditionalProperties);

        // One line on the wire; split here only to be read.
        var expected = """
            {"slingshot":{"answer":"5","reason":"5 won 2 of 3 votes","agreement":0.5,"votes":2,"voters":4,"route":"small","router_score":0.25,
            "attempts":[{"tier":0,"model":"cheap","prompt_tokens":10,"completion_tokens":3,"latency_ms":12.3,"cost_usd":0.5,"score":0.5,
            "decision":"agreement 0.5 below 0.6","escalated_because":"agreement 0.5 below 0.6"},
            {"tier":1,"model":"big","prompt_tokens":0,"completion_tokens":0,"latency_ms":1,"decision":"no escalation test","escalated_because":null}]}}
            """.ReplaceLineEndings(string.Empty);
        Assert.Equal(expected, written);
    }

    [Fact]
    public void Write_VerifierOutcome_WritesOnlyWhatTheWireCarries()
    {
        var outcome = new StrategyOutcome { Reason = "sample 1 passed", Answer = "18", Verified = true, Verdicts = [null], SelectedIndex = 1 };

        Assert.Equal("""{"slingshot":{"answer":"18","reason":"sample 1 passed"}}""", Written(new ChatResponse().WithStrategyOutcome(outcome).AdditionalProperties));
    }

    [Fact]
    public void Write_NoOutcome_WritesNothing()
    {
        Assert.Equal("{}", Written(null));
        Assert.Equal("{}", Written(new AdditionalPropertiesDictionary { ["other"] = 1 }));
    }
}

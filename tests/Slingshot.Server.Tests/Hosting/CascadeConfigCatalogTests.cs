using Microsoft.Extensions.AI;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;
using Slingshot.Server.Tests.Support;
using Slingshot.Strategies;
using Slingshot.Strategies.Cascades;

namespace Slingshot.Server.Tests.Hosting;

/// <summary>The cascade virtual model built from a calibrated config file, over the real engine.</summary>
public sealed class CascadeConfigCatalogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("slingshot-cascade-catalog-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteConfig(string name, double threshold, string? secondTierModel)
    {
        var path = Path.Combine(_directory, name);
        CascadeConfigFile.Save(path, new CascadeConfig
        {
            Escalation = "agreement",
            Tiers =
            [
                new CascadeTierConfig { Name = "small", Samples = 3, Threshold = threshold, Price = new TokenPrice(0, 0) },
                new CascadeTierConfig { Name = "large", Model = secondTierModel, Price = new TokenPrice(3, 15) },
            ],
        });
        return path;
    }

    private static ServerOptions Options(params VirtualModelOptions[] virtualModels)
    {
        var options = ServerFixture.BaseOptions("http://127.0.0.1:0");
        options.VirtualModels.AddRange(virtualModels);
        return options;
    }

    private static VirtualModelOptions Cascade(string name, string config) =>
        new() { Name = name, Strategy = "cascade", Model = ServerFixture.Model, Extractor = "final-answer", Fallback = ServerFixture.Model, CascadeConfig = config };

    [Fact]
    public async Task ConfiguredCascade_UsesTheFilesSamplesThresholdAndPrices()
    {
        using var catalog = new ModelCatalog(Options(
            Cascade("always", WriteConfig("always.json", threshold: 1.01, secondTierModel: ServerFixture.Model)),
            Cascade("never", WriteConfig("never.json", threshold: 0, secondTierModel: null))));
        var chat = new ChatOptions { MaxOutputTokens = 4, Temperature = 1, Seed = 3 };

        var escalated = await catalog.Find("always")!.Client.GetResponseAsync("Once upon a time", chat);
        var local = await catalog.Find("never")!.Client.GetResponseAsync("Once upon a time", chat.Clone());

        var attempts = escalated.GetStrategyOutcome()!.Attempts!.ToList();
        Assert.Equal([ServerFixture.Model, ServerFixture.Model], attempts.Select(a => a.Model));
        Assert.StartsWith("agreement", attempts[0].EscalatedBecause, StringComparison.Ordinal);
        Assert.True(attempts[1].CostUsd > 0);
        Assert.Equal(3, local.GetStrategyOutcome()!.Candidates.Count);
        Assert.Single(local.GetStrategyOutcome()!.Attempts!);
        Assert.True(escalated.Usage!.InputTokenCount > local.Usage!.InputTokenCount);
    }

    [Fact]
    public void ConfiguredCascade_BadFile_IsOneLineNamingTheModel()
    {
        var path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, """{ "tiers": [ {} ] }""");

        var error = Assert.Throws<SlingshotException>(() => new ModelCatalog(Options(Cascade("broken", path))));

        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least two tiers", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ConfiguredCascade_TierNamingAnUnknownModel_Throws()
    {
        var error = Assert.Throws<SlingshotException>(() => new ModelCatalog(Options(
            Cascade("c", WriteConfig("unknown.json", threshold: 0.5, secondTierModel: "nowhere")))));

        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }
}

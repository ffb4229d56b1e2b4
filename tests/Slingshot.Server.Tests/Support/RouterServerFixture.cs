using Slingshot.Server.Configuration;
using Slingshot.Strategies.Routing;

namespace Slingshot.Server.Tests.Support;

/// <summary>
/// A "router" virtual model choosing between the local model (small) and a second copy of it served with another chat
/// template (large), so the route shows on the wire as the prompt token count. The router file sends prompts longer
/// than <see cref="LongerThan"/> characters to the large one.
/// </summary>
public sealed class RouterServerFixture : ServerFixture, IDisposable
{
    public const string RouterModel = "stories-router";
    public const string LargeModel = "stories-large";
    public const int LongerThan = 20;

    public string RouterPath { get; } = Path.Combine(Path.GetTempPath(), $"slingshot-router-{Guid.NewGuid():N}.json");

    /// <summary>A router file whose only weight is on log prompt length: scores cross 0.5 at <paramref name="characters"/>.</summary>
    public static RouterFile LengthRouter(int characters)
    {
        var features = new PromptFeatureOptions { HashBits = 0, Shape = true };
        var weights = new float[features.Dimensions];
        weights[0] = 100; // feature 0 is log(1 + characters) / 10
        return new RouterFile { Features = features, Weights = weights, Bias = -100 * Math.Log(1 + characters + 0.5) / 10, Threshold = 0.5 };
    }

    protected override void Configure(ServerOptions options)
    {
        LengthRouter(LongerThan).Save(RouterPath);
        options.Models[0].Sequences = 4;
        options.Models.Add(new LocalModelOptions
        {
            Name = LargeModel, Path = TestPaths.Stories260K, ChatTemplate = "llama3", Threads = 1, ContextSize = 1024, Sequences = 4,
        });
        options.VirtualModels.Add(new VirtualModelOptions
        {
            Name = RouterModel, Strategy = "router", Model = Model, Fallback = LargeModel, RouterPath = RouterPath,
        });
    }

    public void Dispose() => File.Delete(RouterPath);
}

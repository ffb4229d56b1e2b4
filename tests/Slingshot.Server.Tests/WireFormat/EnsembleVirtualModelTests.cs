using Slingshot.Gguf;
using Slingshot.Server.Configuration;
using Slingshot.Server.Hosting;
using Slingshot.Server.Tests.Support;
using static Slingshot.Server.Tests.Support.OpenAiSchema;

namespace Slingshot.Server.Tests.WireFormat;

/// <summary>stories260K and a generated tiny model served side by side, and an "ensemble" voting over both.</summary>
public sealed class EnsembleServerFixture : ServerFixture
{
    public const string Tiny = "tiny";
    public const string Ensemble = "stories-tiny-ensemble";

    public static string TinyPath { get; } = WriteTinyModel();

    protected override void Configure(ServerOptions options)
    {
        options.Models.Add(new LocalModelOptions { Name = Tiny, Path = TinyPath, Threads = 1, ContextSize = 512, Sequences = 4 });
        options.VirtualModels.Add(new VirtualModelOptions
        {
            Name = Ensemble,
            Strategy = "ensemble",
            Members = [Model, Tiny],
            Samples = 4,
            Extractor = "gsm8k-flexible",
        });
    }

    private static string WriteTinyModel()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("slingshot-server-ensemble-").FullName, "tiny.gguf");
        RandomModelWriter.Write(path, LlamaShape.Parse("tiny"), new RandomModelOptions { Seed = 9 });
        return path;
    }
}

public sealed class EnsembleVirtualModelTests(EnsembleServerFixture server) : IClassFixture<EnsembleServerFixture>
{
    [Fact]
    public async Task Ensemble_Chat_OpenAiShapeWithUsageOfBothMembersShares()
    {
        var stories = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 6));
        var tiny = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 6, model: EnsembleServerFixture.Tiny));

        var reply = await server.Http.PostJsonAsync("/v1/chat/completions", HttpExtensions.Chat(maxTokens: 6, model: EnsembleServerFixture.Ensemble));

        Assert.Equal(200, reply.Code);
        ChatCompletion(reply.Json, EnsembleServerFixture.Ensemble, choices: 1, logprobs: false);
        // Each member forks its two samples from one decoded prompt: the prompt is paid once per member.
        var usage = Usage(reply.Json.GetProperty("usage"));
        Assert.Equal(Usage(stories.Json.GetProperty("usage")).Prompt + Usage(tiny.Json.GetProperty("usage")).Prompt, usage.Prompt);
        Assert.InRange(usage.Completion, 1, 4 * 6);
        await Metrics.WaitForIdleAsync(server.Http);
    }

    [Fact]
    public async Task Models_ListsTheEnsembleAsAStrategy()
    {
        var reply = await server.Http.GetReplyAsync("/v1/models");

        var models = Array(reply.Json, "data").ToDictionary(m => String(m, "id"), m => String(m, "owned_by"));
        Assert.Equal("slingshot-strategy", models[EnsembleServerFixture.Ensemble]);
    }

    [Theory]
    [InlineData(new string[0], "needs Members")]
    [InlineData(new[] { "stories", "missing" }, "'missing', which is not a configured")]
    public void Catalog_BadMembers_OneLineError(string[] members, string expected)
    {
        var options = ServerFixture.BaseOptions("http://127.0.0.1:1");
        options.VirtualModels.Add(new VirtualModelOptions { Name = "e", Strategy = "ensemble", Members = [.. members] });

        var error = Assert.Throws<SlingshotException>(() => new ModelCatalog(options));

        Assert.Contains(expected, error.Message);
    }
}

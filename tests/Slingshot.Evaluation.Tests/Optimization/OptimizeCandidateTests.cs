using Slingshot.Evaluation.Optimization;

namespace Slingshot.Evaluation.Tests.Optimization;

public sealed class OptimizeCandidateTests
{
    [Fact]
    public void Parse_LocalFile_KeepsThePath()
    {
        var candidate = OptimizeCandidate.Parse("small=models/a.gguf");

        Assert.True(candidate.IsLocal);
        Assert.Equal(("small", "models/a.gguf"), (candidate.Name, candidate.Path));
    }

    [Theory]
    [InlineData("gpt=endpoint:http://gpu:8000/v1:qwen:0.15,0.6", "http://gpu:8000/v1", "qwen")]
    [InlineData("gpt=endpoint:https://api.example.com/v1:llama3:8b:1,2", "https://api.example.com/v1", "llama3:8b")]
    [InlineData("gpt=endpoint:http://gpu:8000:m:0,0", "http://gpu:8000", "m")]
    [InlineData("gpt=endpoint:http://gpu:m:0,0", "http://gpu", "m")]
    public void Parse_Endpoint_SplitsUrlModelAndPrices(string text, string url, string model)
    {
        var candidate = OptimizeCandidate.Parse(text);

        Assert.False(candidate.IsLocal);
        Assert.Equal((url, model), (candidate.Url, candidate.Model));
    }

    [Fact]
    public void Parse_EndpointPrices_AreDollarsPerMillion()
    {
        var candidate = OptimizeCandidate.Parse("gpt=endpoint:http://gpu:8000/v1:qwen:0.15,0.6");

        Assert.Equal((0.15, 0.6), (candidate.InputPricePerMillion, candidate.OutputPricePerMillion));
    }

    [Theory]
    [InlineData("a.gguf")]
    [InlineData("=a.gguf")]
    [InlineData("x y=a.gguf")]
    [InlineData("gpt=endpoint:http://gpu:8000/v1:qwen")]
    [InlineData("gpt=endpoint:http://gpu:8000/v1:qwen:-1,2")]
    [InlineData("gpt=endpoint:ftp://gpu/v1:qwen:1,2")]
    [InlineData("gpt=endpoint:http://gpu:8000/v1::1,2")]
    public void Parse_Malformed_IsOneLineErrorNamingTheOption(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => OptimizeCandidate.Parse(text));

        Assert.StartsWith($"--candidate '{text}'", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void CostRates_PerBasis_FollowTheMeasurements()
    {
        var local = OptimizeCandidate.Parse("small=a.gguf");
        var endpoint = OptimizeCandidate.Parse("gpt=endpoint:http://gpu/v1:m:2,8");
        var measured = new ArmMeasurements(PromptTokensPerProblem: 100, CompletionTokensPerSample: 50, WallSecondsPerSample: 0.5);

        Assert.Equal(new ArmCost(0, 0.5 * 3.6 / 3600), CostRates.For(local, 1000, measured, OptimizeCostBasis.Dollars, 3.6));
        Assert.Equal(new ArmCost(2e-4, 4e-4), CostRates.For(endpoint, null, measured, OptimizeCostBasis.Dollars, 3.6));
        Assert.Equal(new ArmCost(2e5, 1e5), CostRates.For(local, 1000, measured, OptimizeCostBasis.Flops, 0));
        Assert.True(double.IsNaN(CostRates.For(endpoint, null, measured, OptimizeCostBasis.Flops, 0).Of(1)));
        Assert.Equal(new ArmCost(0, 0.5), CostRates.For(endpoint, null, measured, OptimizeCostBasis.Seconds, 0));
    }
}

using System.Text.Json;

namespace Slingshot.Cli.Tests;

/// <summary>`slingshot proxy` over three models written by `slingshot create-model` (one vocabulary, different sizes and seeds).</summary>
public sealed class ProxyCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slingshot-proxy-cli-").FullName;

    public ProxyCommandTests()
    {
        Create("large.gguf", "vocab=512,embd=128,layers=2,heads=4,kv=2,ff=256,ctx=512", 3);
        Create("base.gguf", "tiny", 1);
        Create("tuned.gguf", "tiny", 2);
    }

    private string Large => Path.Combine(_folder, "large.gguf");
    private string Base => Path.Combine(_folder, "base.gguf");
    private string Tuned => Path.Combine(_folder, "tuned.gguf");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Create(string name, string shape, int seed)
    {
        var result = CliRunner.Run("create-model", Path.Combine(_folder, name), "--shape", shape, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static CliResult Cli(params string[] args) => CliRunner.Run(args);

    private static string[] Greedy => ["--temperature", "0", "--max-tokens", "12", "--ignore-eos", "--threads", "1", "--json"];

    private static IEnumerable<int> Tokens(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("samples")[0].GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToList();
    }

    [Fact]
    public void Proxy_AlphaZero_MatchesRunOnTheLargeBase_AlphaOneMovesIt()
    {
        var plain = Tokens(Cli(["run", "once upon a time", "-m", Large, .. Greedy]));
        var unsteered = Tokens(Cli(["proxy", "once upon a time", "-m", Large, "--proxy-base", Base, "--proxy-tuned", Tuned, "--proxy-alpha", "0", .. Greedy]));
        var steered = Tokens(Cli(["proxy", "once upon a time", "-m", Large, "--proxy-base", Base, "--proxy-tuned", Tuned, "--proxy-alpha", "1", .. Greedy]));

        Assert.Equal(plain, unsteered);
        Assert.NotEqual(plain, steered);
    }

    [Fact]
    public void Proxy_NoTunedModelOrLora_OneLineError()
    {
        var result = CliRunner.Run("proxy", "hi", "-m", Large, "--proxy-base", Base);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--proxy-tuned-lora", result.Stderr);
    }

    [Fact]
    public void Proxy_DifferentVocabulary_OneLineErrorAndExitOne()
    {
        var result = CliRunner.Run("proxy", "hi", "-m", Large, "--proxy-base", CliRunner.Stories260K, "--proxy-tuned", Tuned, "--threads", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("share one vocabulary", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Proxy_MissingModelFile_OneLineError()
    {
        var result = CliRunner.Run("proxy", "hi", "-m", Large, "--proxy-base", Path.Combine(_folder, "nope.gguf"), "--proxy-tuned", Tuned);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr);
    }
}

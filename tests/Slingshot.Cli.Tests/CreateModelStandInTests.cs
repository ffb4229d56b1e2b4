using System.Text.Json;

namespace Slingshot.Cli.Tests;

/// <summary>
/// <c>slingshot create-model --arch --vocab --template</c>: a random-weight stand-in of a real family, written from a
/// vocabulary GGUF of the pinned llama.cpp source, that the other commands load and chat with like the real model.
/// </summary>
public sealed class CreateModelStandInTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slingshot-cli-standin-").FullName;

    /// <summary>The pinned llama.cpp source the build fetched (artifacts/llama/&lt;version&gt;/src).</summary>
    private static string LlamaModels => Path.Combine(
        Directory.GetDirectories(Path.Combine(CliRunner.RepoRoot, "artifacts", "llama")).Single(d => File.Exists(Path.Combine(d, "src", ".complete"))),
        "src", "models");

    [Fact]
    public void CreateModel_Qwen2StandIn_CarriesTheFamilysTokenizerAndTemplateAndChats()
    {
        var path = Path.Combine(_folder, "qwen.gguf");

        var template = Path.Combine(LlamaModels, "templates", "Qwen-Qwen2.5-7B-Instruct.jinja");

        var create = CliRunner.Run("create-model", path, "--shape", "tiny", "--arch", "qwen2",
            "--vocab", Path.Combine(LlamaModels, "ggml-vocab-qwen2.gguf"), "--template", template);

        Assert.True(create.ExitCode == 0, create.ToString());
        var inspect = CliRunner.Run("inspect", path, "--json");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using var json = JsonDocument.Parse(inspect.Stdout);
        Assert.Equal("qwen2", json.RootElement.GetProperty("architecture").GetString());
        var metadata = json.RootElement.GetProperty("metadata");
        Assert.Equal("gpt2", metadata.GetProperty("tokenizer.ggml.model").GetString());
        // inspect shows the first 117 characters of a long value.
        Assert.StartsWith(File.ReadAllText(template).ReplaceLineEndings("\\n")[..100], metadata.GetProperty("tokenizer.chat_template").GetString());

        // The chat command renders through the stored template and decodes a reply.
        var chat = CliRunner.Run(["chat", "-m", path, "--threads", "1", "--max-tokens", "3", "--temperature", "0"], stdin: "Hi\n");
        Assert.True(chat.ExitCode == 0, chat.ToString());
    }

    [Theory]
    [InlineData("--arch", "qwen2")]
    [InlineData("--template", "chatml")]
    public void CreateModel_FamilyOptionWithoutVocab_OneLineErrorNamingVocab(string option, string value)
    {
        var result = CliRunner.Run("create-model", Path.Combine(_folder, "x.gguf"), "--shape", "tiny", option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--vocab", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_folder, "x.gguf")));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

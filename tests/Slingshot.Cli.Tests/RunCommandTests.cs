using System.Text.Json;

namespace Slingshot.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_DefaultModelGreedy_PrintsGoldenText()
    {
        var result = CliRunner.Run("run", "Once upon a time", "--temperature", "0", "--max-tokens", "10", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(", there was a little girl named Lily", result.Stdout.Trim());
        Assert.Contains("completion tokens", result.Stderr);
    }

    [Fact]
    public void Run_JsonWithSamples_PrintsEverySampleWithUsage()
    {
        var result = CliRunner.Run("run", "Once upon a time", "-n", "3", "--seed", "5", "--max-tokens", "12", "--logprobs", "2", "--json", "-m", CliRunner.Stories260K);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var samples = json.RootElement.GetProperty("samples");
        Assert.Equal(3, samples.GetArrayLength());
        Assert.Equal(5u, samples[0].GetProperty("seed").GetUInt32());
        Assert.Equal(12, samples[0].GetProperty("tokens").GetArrayLength());
        Assert.Equal(2, samples[0].GetProperty("logprobs")[0].GetProperty("top").GetArrayLength());
        Assert.Equal(36, json.RootElement.GetProperty("usage").GetProperty("completionTokens").GetInt32());
    }

    [Fact]
    public void Run_ChatWithoutTemplate_ExplainsHowToChooseOne()
    {
        var result = CliRunner.Run("run", "Hi", "--chat", "-m", CliRunner.Stories260K);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no chat template", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Run_ChatWithTemplateOverride_Works()
    {
        var result = CliRunner.Run("run", "Hi", "--chat-template", "chatml", "--max-tokens", "5", "-m", CliRunner.Stories260K);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Theory]
    [InlineData("-n", "0")]
    [InlineData("--temperature", "-1")]
    [InlineData("--top-p", "0")]
    [InlineData("--max-tokens", "0")]
    [InlineData("--ctx", "-4")]
    [InlineData("--sequences", "0")]
    public void Run_InvalidValue_OneLineErrorAndExit1(string flag, string value)
    {
        var result = CliRunner.Run("run", "Once", flag, value, "-m", CliRunner.Stories260K);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("slingshot: ", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("Unhandled", result.Stderr);
    }

    [Fact]
    public void Run_PromptLongerThanContext_SaysSo()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("Once upon a time there was a dog.", 100));

        var result = CliRunner.Run("run", prompt, "--ctx", "128", "-m", CliRunner.Stories260K);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("context holds", result.Stderr);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("directory")]
    [InlineData("empty")]
    [InlineData("text")]
    public void Run_BadModelFile_OneLineError(string kind)
    {
        var dir = Directory.CreateTempSubdirectory("slingshot-cli-").FullName;
        var path = kind switch
        {
            "missing" => Path.Combine(dir, "none.gguf"),
            "directory" => dir,
            _ => Path.Combine(dir, "bad.gguf"),
        };
        if (kind == "empty") File.WriteAllBytes(path, []);
        if (kind == "text") File.WriteAllText(path, "this is not a model, just some text that is long enough to read a header from");

        var result = CliRunner.Run("run", "Once", "-m", path);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("slingshot: Invalid model file", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("inspect")]
    public void ModelCommand_FifoAsModel_OneLineErrorInsteadOfHanging(string command)
    {
        var dir = Directory.CreateTempSubdirectory("slingshot-cli-").FullName;
        var fifo = Path.Combine(dir, "model.gguf");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        string[] args = command == "run" ? ["run", "Once", "-m", fifo] : ["inspect", fifo];

        // Opening a FIFO for reading blocks until a writer comes: a regression shows as this timeout, not a hang.
        var result = CliRunner.Run(args, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"slingshot: Invalid model file '{fifo}': is a FIFO (named pipe), not a regular file", result.Stderr.Trim());
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Run_MissingPrompt_UsageErrorExit2()
    {
        var result = CliRunner.Run("run");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--help", result.Stderr);
    }

    [Fact]
    public void Run_PromptFromStdin_IsRead()
    {
        var result = CliRunner.Run(["run", "-", "--temperature", "0", "--max-tokens", "10", "-m", CliRunner.Stories260K], stdin: "Once upon a time");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(", there was a little girl named Lily", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("chat")]
    [InlineData("inspect")]
    [InlineData("quantize")]
    [InlineData("create-model")]
    [InlineData("bench")]
    [InlineData("doctor")]
    public void Help_EveryCommand_PrintsUsage(string command)
    {
        var result = CliRunner.Run(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout);
    }
}

using System.Text.Json;

namespace Slingshot.Cli.Tests;

public sealed class ToolCommandTests
{
    [Fact]
    public void Inspect_Stories260K_ShowsMetadataAndTensors()
    {
        var result = CliRunner.Run("inspect", CliRunner.Stories260K, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("llama", json.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(3u, json.RootElement.GetProperty("version").GetUInt32());
        Assert.True(json.RootElement.GetProperty("tensors").GetArrayLength() > 10);
        Assert.True(json.RootElement.GetProperty("metadata").TryGetProperty("tokenizer.ggml.model", out _));
    }

    [Fact]
    public void CreateModel_ThenQuantize_ThenRunAndChat_AllWork()
    {
        var dir = Directory.CreateTempSubdirectory("slingshot-cli-").FullName;
        var f32 = Path.Combine(dir, "tiny-f32.gguf");
        var q8 = Path.Combine(dir, "tiny-q8.gguf");

        var created = CliRunner.Run("create-model", f32, "--shape", "tiny", "--type", "F32");
        var quantized = CliRunner.Run("quantize", f32, q8, "--type", "Q8_0", "--threads", "1");
        var inspected = CliRunner.Run("inspect", q8);
        var ran = CliRunner.Run("run", "Hello", "--chat", "--system", "Be brief.", "--max-tokens", "8", "-m", q8);
        var chatted = CliRunner.Run(["chat", "-m", q8, "--max-tokens", "5"], stdin: "Hello\n/reset\nAgain\n/exit\n");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(quantized.ExitCode == 0, quantized.ToString());
        Assert.Contains("Q8_0", inspected.Stdout);
        Assert.True(ran.ExitCode == 0, ran.ToString());
        Assert.True(chatted.ExitCode == 0, chatted.ToString());
    }

    [Fact]
    public void CreateModel_List_ShowsPresets()
    {
        var result = CliRunner.Run("create-model", "--list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("llama-100m", result.Stdout);
        Assert.Contains("qwen2.5-0.5b", result.Stdout);
    }

    [Fact]
    public void CreateModel_BadShape_OneLineError()
    {
        var result = CliRunner.Run("create-model", Path.Combine(Path.GetTempPath(), "x.gguf"), "--shape", "nonsense-shape");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Quantize_UnknownType_OneLineError()
    {
        var result = CliRunner.Run("quantize", CliRunner.Stories260K, Path.Combine(Path.GetTempPath(), "q.gguf"), "--type", "Q9");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Q4_K_M", result.Stderr);
    }

    [Fact]
    public void Chat_ModelWithoutTemplate_FailsBeforeReading()
    {
        var result = CliRunner.Run(["chat", "-m", CliRunner.Stories260K], stdin: "Hello\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no chat template", result.Stderr);
    }

    [Fact]
    public void Bench_SmallSettings_PrintsJsonWithAllMeasurements()
    {
        var result = CliRunner.Run("bench", "--shape", "tiny", "-p", "32", "-g", "8", "--samples", "1,4", "-r", "1", "--threads", "1", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        var results = json.RootElement.GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("tokensPerSecond").GetDouble() > 0));
        Assert.True(json.RootElement.GetProperty("batchSpeedup").GetDouble() > 0);
    }

    [Fact]
    public void Bench_BadSampleList_OneLineError()
    {
        var result = CliRunner.Run("bench", "--samples", "1,x");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--samples", result.Stderr);
    }
}

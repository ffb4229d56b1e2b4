using System.Diagnostics;
using System.Text.Json;

namespace Slingshot.Cli.Tests;

public sealed class DoctorCommandTests
{
    [Fact]
    public void Doctor_Json_ReportsPinnedBuildAndCpuVariant()
    {
        var result = CliRunner.Run("doctor", "--json", "-m", CliRunner.Stories260K);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("0.5.0-dev", json.RootElement.GetProperty("version").GetString());
        var variant = json.RootElement.GetProperty("cpuVariant").GetString();
        Assert.Contains(variant, json.RootElement.GetProperty("availableCpuVariants").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("8 tokens", json.RootElement.GetProperty("smokeTest").GetString());
    }

    [Fact]
    public void Doctor_PinnedCpuVariant_IsUsed()
    {
        var result = CliRunner.Run("doctor", "--json", "--cpu-variant", "x64");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("x64", json.RootElement.GetProperty("cpuVariant").GetString());
    }

    [Fact]
    public void Doctor_UnknownCpuVariant_ListsAvailableOnes()
    {
        var result = CliRunner.Run("doctor", "--cpu-variant", "pentium2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("available:", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void NativeDir_Missing_OneLineError()
    {
        var result = CliRunner.Run(["doctor"], environment: new Dictionary<string, string> { ["SLINGSHOT_LLAMA_NATIVE_DIR"] = "/nonexistent/llama" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("SLINGSHOT_LLAMA_NATIVE_DIR", result.Stderr);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void NativeDir_OtherBuild_ReportsExpectedLoadedAndDifference()
    {
        // A folder whose libllama is another "build": it reports another version and lacks most functions.
        var dir = Directory.CreateTempSubdirectory("slingshot-fake-llama-").FullName;
        var source = Path.Combine(dir, "fake.c");
        File.WriteAllText(source, "const char * llama_version(void) { return \"9.9.9\"; }\n");
        var gcc = Process.Start("gcc", ["-shared", "-fPIC", "-o", Path.Combine(dir, "libllama.so"), source])!;
        gcc.WaitForExit();
        Assert.Equal(0, gcc.ExitCode);
        var real = Path.Combine(CliRunner.RepoRoot, "artifacts", "llama", "3.22.1", "bins");
        foreach (var lib in new[] { "libggml.v0.5.0.so", "libggml-base.so" })
        {
            File.Copy(Path.Combine(real, lib), Path.Combine(dir, lib));
        }

        var result = CliRunner.Run(["doctor"], environment: new Dictionary<string, string> { ["SLINGSHOT_LLAMA_NATIVE_DIR"] = dir });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("build mismatch", result.Stderr);
        Assert.Contains("expected llama.cpp 0.5.0-dev", result.Stderr);
        Assert.Contains(Path.Combine(dir, "libllama.so"), result.Stderr);
        Assert.Contains("version 9.9.9", result.Stderr);
        Assert.Contains("missing functions", result.Stderr);
    }
}

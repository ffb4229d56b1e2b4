using System.IO.Compression;

namespace Slingshot.Cli.Tests.Packaging;

/// <summary>
/// The packages work where the repository is not: a console project created outside it references the engine package
/// from a local feed and generates the golden text, and the tool installs from the same feed and runs on its own.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackagingTests(PackageFeed feed)
{
    private const string Golden = ", there was a little girl named Lily";

    [Fact]
    public void Pack_EveryLibraryAndTheTool_OneVersionWithDocsAndNativeAssets()
    {
        Assert.True(feed.Pack.ExitCode == 0, feed.Pack.ToString());
        string[] ids = ["Slingshot.Native", "Slingshot", "Slingshot.Strategies", "Slingshot.Evaluation", "Slingshot.Server", "Slingshot.Cli"];
        Assert.Equal(ids.Select(id => $"{id}.{feed.Version}.nupkg").Order(), Directory.GetFiles(feed.Feed).Select(Path.GetFileName).Order());

        using (var native = ZipFile.OpenRead(Package("Slingshot.Native")))
        {
            var entries = native.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("runtimes/linux-x64/native/libllama.v0.5.0.so", entries);
            Assert.Contains("runtimes/linux-x64/native/libggml-cpu-x64.so", entries);
            Assert.Contains("lib/net10.0/Slingshot.Native.dll", entries);
            Assert.Contains("THIRD-PARTY-NOTICES.md", entries);
        }
        foreach (var id in ids.Where(id => id != "Slingshot.Cli"))
        {
            using var package = ZipFile.OpenRead(Package(id));
            Assert.Contains($"lib/net10.0/{id}.xml", package.Entries.Select(e => e.FullName));
            var nuspec = new StreamReader(package.GetEntry($"{id}.nuspec")!.Open()).ReadToEnd();
            Assert.Contains($"<version>{feed.Version}</version>", nuspec);
            Assert.Contains("<repository type=\"git\"", nuspec);
            Assert.Contains("<readme>README.md</readme>", nuspec);
        }
        using var tool = ZipFile.OpenRead(Package("Slingshot.Cli"));
        var toolEntries = tool.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("tools/net10.0/any/models/stories260K/stories260K.gguf", toolEntries);
        Assert.Contains("tools/net10.0/any/llama/libllama.v0.5.0.so", toolEntries);
        Assert.DoesNotContain(toolEntries, e => e.Contains("/runtimes/win-", StringComparison.Ordinal));
    }

    [Fact]
    public void EnginePackage_FreshConsoleProjectOutsideTheRepository_GeneratesTheGoldenText()
    {
        var project = Directory.CreateDirectory(Path.Combine(feed.Root, "consumer")).FullName;
        File.WriteAllText(Path.Combine(project, "consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Slingshot" Version="{feed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Slingshot;

            using var engine = LlamaEngine.Load(args[0], new EngineOptions { Threads = 1, MaxSequences = 1 });
            var result = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 10, Sampling = SamplerSettings.Greedy });
            Console.WriteLine(result.Samples[0].Text);
            """);

        var build = PackageFeed.DotNet(project, "build", "-c", "Release");
        Assert.True(build.ExitCode == 0, build.ToString());
        var output = Path.Combine(project, "bin", "Release", "net10.0");
        Assert.True(File.Exists(Path.Combine(output, "runtimes", "linux-x64", "native", "libllama.v0.5.0.so")), "the native assets were not restored into the app");

        var run = PackageFeed.Run("dotnet", project, null, Path.Combine(output, "consumer.dll"), TestPaths.Stories260K);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Golden, run.Stdout.Trim());
    }

    [Fact]
    public void ToolPackage_InstalledWithToolPath_RunsItsEmbeddedModelAnywhere()
    {
        var tools = Path.Combine(feed.Root, "tools");
        var install = PackageFeed.DotNet(feed.Root, "tool", "install", "Slingshot.Cli", "--tool-path", tools, "--version", feed.Version, "--configfile", feed.NuGetConfig);
        Assert.True(install.ExitCode == 0, install.ToString());
        var elsewhere = Directory.CreateDirectory(Path.Combine(feed.Root, "somewhere")).FullName;

        var run = PackageFeed.Run(Path.Combine(tools, "slingshot"), elsewhere, null, "run", "Once upon a time", "--temperature", "0", "--max-tokens", "10", "--threads", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(Golden, run.Stdout.Trim());
    }

    private string Package(string id) => Path.Combine(feed.Feed, $"{id}.{feed.Version}.nupkg");
}

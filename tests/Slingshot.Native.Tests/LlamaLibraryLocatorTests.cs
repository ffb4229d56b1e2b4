namespace Slingshot.Native.Tests;

/// <summary>Where the loader looks for the libraries in each layout they are installed in (repository build, NuGet package).</summary>
public sealed class LlamaLibraryLocatorTests : IDisposable
{
    private readonly string _app = Directory.CreateTempSubdirectory("slingshot-locator-").FullName;

    [Fact]
    public void FirstWithLibraries_RepositoryBuildLayout_FindsTheLlamaFolder()
    {
        var llama = Library(Path.Combine(_app, "llama"));
        Library(Path.Combine(_app, "runtimes", "linux-x64", "native"));

        Assert.Equal(llama, Locate(null));
    }

    [Fact]
    public void FirstWithLibraries_PortableAppFromThePackage_FindsTheRuntimesFolder()
    {
        var native = Library(Path.Combine(_app, "runtimes", "linux-x64", "native"));

        Assert.Equal(native, Locate(null));
    }

    [Fact]
    public void FirstWithLibraries_HostSearchDirectories_AreHonoured()
    {
        var elsewhere = Library(Path.Combine(_app, "elsewhere"));

        Assert.Equal(elsewhere, Locate($"{Path.Combine(_app, "empty")}{Path.PathSeparator}{elsewhere}{Path.PathSeparator}"));
    }

    [Fact]
    public void FirstWithLibraries_RidSpecificAppFromThePackage_FindsTheAppFolder()
    {
        File.WriteAllText(Path.Combine(_app, "libllama.v0.5.0.so"), "");

        Assert.Equal(_app, Locate(null));
    }

    [Fact]
    public void FirstWithLibraries_NoLibrariesAnywhere_IsNull()
    {
        Directory.CreateDirectory(Path.Combine(_app, "llama"));

        Assert.Null(Locate(null));
    }

    public void Dispose() => Directory.Delete(_app, recursive: true);

    private string? Locate(string? searchDirectories) =>
        LlamaLibraryLocator.FirstWithLibraries(LlamaLibraryLocator.Candidates(_app, searchDirectories));

    private static string Library(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "libllama.v0.5.0.so"), "");
        return directory;
    }
}

namespace Slingshot.Native;

/// <summary>
/// Finds the folder of the llama.cpp libraries beside an application, in each layout they arrive in: the
/// <c>llama/</c> folder the repository's build copies beside every app and test, and the NuGet package's
/// <c>runtimes/linux-x64/native</c> assets, which a restore places in that subfolder of a portable app (listed in the
/// host's native search directories) or flat beside a RID-specific one.
/// </summary>
internal static class LlamaLibraryLocator
{
    /// <summary>The runtime identifier the native package carries.</summary>
    public const string RuntimeIdentifier = "linux-x64";

    /// <summary>Where to look, most specific first, for an app in <paramref name="appDirectory"/>.</summary>
    /// <param name="appDirectory">The app's folder (<see cref="AppContext.BaseDirectory"/>).</param>
    /// <param name="nativeSearchDirectories">The host's NATIVE_DLL_SEARCH_DIRECTORIES (separated by the path separator), or null.</param>
    public static IEnumerable<string> Candidates(string appDirectory, string? nativeSearchDirectories)
    {
        yield return Path.Combine(appDirectory, "llama");
        foreach (var directory in (nativeSearchDirectories ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return directory;
        }
        yield return Path.Combine(appDirectory, "runtimes", RuntimeIdentifier, "native");
        yield return appDirectory;
    }

    /// <summary>The first of <paramref name="candidates"/> that holds libllama, or null.</summary>
    public static string? FirstWithLibraries(IEnumerable<string> candidates) =>
        candidates.Select(Path.GetFullPath).FirstOrDefault(HoldsLlama);

    /// <summary>The folder for the running app, or null when none holds the libraries.</summary>
    public static string? ForCurrentApp() =>
        FirstWithLibraries(Candidates(AppContext.BaseDirectory, AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string));

    private static bool HoldsLlama(string directory) =>
        Directory.Exists(directory)
        && (Directory.EnumerateFiles(directory, "libllama.v*.so").Any() || File.Exists(Path.Combine(directory, "libllama.so")));
}

namespace Slingshot.Testing;

/// <summary>Locates the repository and the shared test data beside it (../shared: models and datasets). Linked into every test project.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedRoot => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Datasets => Path.Combine(SharedRoot, "datasets");

    public static string Stories260K => Path.Combine(SharedRoot, "models", "stories260K", "stories260K.gguf");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Slingshot.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Slingshot.slnx not found above the test folder.");
    }
}

using System.Reflection;

namespace Slingshot.Tests.Support;

/// <summary>The pinned llama.cpp source tree the build fetches (artifacts/llama/&lt;version&gt;/src): its test data.</summary>
internal static class LlamaSource
{
    public static string Directory { get; } = Find();

    private static string Find()
    {
        var dir = typeof(LlamaSource).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LlamaSourceDir")?.Value;
        return !string.IsNullOrWhiteSpace(dir) && System.IO.Directory.Exists(Path.Combine(dir, "models"))
            ? Path.GetFullPath(dir)
            : throw new InvalidOperationException($"The pinned llama.cpp source is missing (LlamaSourceDir = '{dir}'); the build of this project fetches it.");
    }
}

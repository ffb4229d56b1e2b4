using System.Reflection;
using System.Text.RegularExpressions;

namespace Slingshot.Native.Tests;

/// <summary>
/// The pinned llama.cpp headers that the build fetched (native/llama.targets, ProvisionLlamaHeaders), read as
/// text: struct field lists and function declarations, with comments removed.
/// </summary>
internal static partial class PinnedHeaders
{
    private static readonly Lazy<string> s_sourceDir = new(FindSourceDir);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> s_headers = new(ReadHeaders);

    /// <summary>The llama.cpp source checkout (has include/llama.h and ggml/include/).</summary>
    public static string SourceDir => s_sourceDir.Value;

    public static string LlamaInclude => Path.Combine(SourceDir, "include");

    public static string GgmlInclude => Path.Combine(SourceDir, "ggml", "include");

    /// <summary>Comment-free text of include/llama.h and ggml/include/*.h, keyed by path relative to the source dir.</summary>
    public static IReadOnlyDictionary<string, string> Headers => s_headers.Value;

    /// <summary>The field names of <c>struct <paramref name="cStruct"/> { ... }</c> in llama.h or a ggml header, in declaration order.</summary>
    public static IReadOnlyList<string> StructFields(string cStruct)
    {
        var pattern = new Regex($@"\bstruct\s+{Regex.Escape(cStruct)}\s*\{{(?<body>[^{{}}]*)\}}");
        var match = Headers.OrderBy(h => h.Key == "include/llama.h" ? 0 : 1)
            .Select(h => pattern.Match(h.Value))
            .FirstOrDefault(m => m.Success);
        if (match is null)
        {
            throw new InvalidOperationException($"struct {cStruct} is not defined in include/llama.h or ggml/include of {SourceDir}.");
        }
        return match.Groups["body"].Value
            .Split(';')
            .Select(declaration => declaration.Trim())
            .Where(declaration => declaration.Length > 0)
            .SelectMany(declaration => declaration.Split(','))
            .Select(declarator => Regex.Replace(declarator, @"\[[^\]]*\]", "").Trim())
            .Select(declarator => LastIdentifier().Match(declarator).Groups[1].Value)
            .ToList();
    }

    /// <summary>The headers (relative paths) that declare a function named <paramref name="function"/>.</summary>
    public static IReadOnlyList<string> FilesDeclaring(string function)
    {
        var declaration = new Regex($@"\b{Regex.Escape(function)}\s*\(");
        return Headers.Where(h => declaration.IsMatch(h.Value)).Select(h => h.Key).Order(StringComparer.Ordinal).ToList();
    }

    private static string FindSourceDir()
    {
        var dir = typeof(PinnedHeaders).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LlamaSourceDir")?.Value;
        if (string.IsNullOrWhiteSpace(dir) || !File.Exists(Path.Combine(dir, "include", "llama.h")))
        {
            throw new InvalidOperationException(
                $"The pinned llama.cpp headers are missing (LlamaSourceDir = '{dir}'); the build of this project fetches them " +
                "(target ProvisionLlamaHeaders, Linux x64 only).");
        }
        return Path.GetFullPath(dir);
    }

    private static IReadOnlyDictionary<string, string> ReadHeaders()
    {
        var files = new[] { Path.Combine(LlamaInclude, "llama.h") }
            .Concat(Directory.GetFiles(GgmlInclude, "*.h"));
        return files.ToDictionary(
            f => Path.GetRelativePath(SourceDir, f).Replace('\\', '/'),
            f => StripComments(File.ReadAllText(f)),
            StringComparer.Ordinal);
    }

    private static string StripComments(string text) => Comment().Replace(text, " ");

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*$")]
    private static partial Regex LastIdentifier();
}

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

    /// <summary>
    /// The field names of <c>struct <paramref name="cStruct"/> { ... }</c> in llama.h or a ggml header, in declaration
    /// order. Fields of a nested anonymous struct (<c>struct { float alpha; } adamw;</c>) come as <c>adamw.alpha</c>,
    /// which is also how C's offsetof names them.
    /// </summary>
    public static IReadOnlyList<string> StructFields(string cStruct)
    {
        var pattern = new Regex($@"\bstruct\s+{Regex.Escape(cStruct)}\s*\{{");
        var found = Headers.OrderBy(h => h.Key == "include/llama.h" ? 0 : 1)
            .Select(h => (Text: h.Value, Match: pattern.Match(h.Value)))
            .FirstOrDefault(m => m.Match.Success);
        if (found.Match is null)
        {
            throw new InvalidOperationException($"struct {cStruct} is not defined in include/llama.h or ggml/include of {SourceDir}.");
        }
        var open = found.Match.Index + found.Match.Length - 1;
        return Fields(Body(found.Text, open), prefix: "");
    }

    /// <summary>The text between the brace at <paramref name="open"/> and its matching closing brace.</summary>
    private static string Body(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                return text[(open + 1)..i];
            }
        }
        throw new InvalidOperationException("unbalanced braces in a pinned header");
    }

    private static List<string> Fields(string body, string prefix)
    {
        var fields = new List<string>();
        var position = 0;
        while (position < body.Length)
        {
            var brace = body.IndexOf('{', position);
            var semicolon = body.IndexOf(';', position);
            if (semicolon < 0)
            {
                break;
            }
            if (brace >= 0 && brace < semicolon)
            {
                // A nested struct: its fields, prefixed by the declarator that follows the closing brace.
                var inner = Body(body, brace);
                var after = brace + inner.Length + 2;
                var end = body.IndexOf(';', after);
                var name = body[after..end].Trim();
                fields.AddRange(Fields(inner, prefix + name + "."));
                position = end + 1;
                continue;
            }
            var declaration = body[position..semicolon].Trim();
            position = semicolon + 1;
            if (declaration.Length == 0)
            {
                continue;
            }
            fields.AddRange(declaration.Split(',')
                .Select(declarator => Regex.Replace(declarator, @"\[[^\]]*\]", "").Trim())
                .Select(declarator => prefix + LastIdentifier().Match(declarator).Groups[1].Value));
        }
        return fields;
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

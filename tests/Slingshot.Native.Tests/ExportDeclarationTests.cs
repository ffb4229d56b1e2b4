using Slingshot.Native.Interop;

namespace Slingshot.Native.Tests;

/// <summary>Every function the bindings import is declared in the pinned headers, in the header of its library.</summary>
public sealed class ExportDeclarationTests
{
    [Fact]
    public void RequiredExports_EveryFunction_IsDeclaredInPinnedHeaders()
    {
        var exports = LlamaLibrary.RequiredExports().ToList();
        Assert.NotEmpty(exports);

        var undeclared = exports
            .Where(e => PinnedHeaders.FilesDeclaring(e.Name).Count == 0)
            .Select(e => $"{e.Name} (bound from '{e.Library}')")
            .ToList();

        Assert.True(undeclared.Count == 0,
            $"bound but not declared in include/llama.h or ggml/include/*.h of {PinnedHeaders.SourceDir}:\n  " + string.Join("\n  ", undeclared));
    }

    [Fact]
    public void RequiredExports_EveryFunction_IsDeclaredInTheHeaderOfItsLibrary()
    {
        // llama_* lives in libllama (include/llama.h); ggml_* in libggml or libggml-base (ggml/include/).
        var misplaced = LlamaLibrary.RequiredExports()
            .Select(e => (e.Library, e.Name, Files: PinnedHeaders.FilesDeclaring(e.Name)))
            .Where(e => e.Files.Count > 0)
            .Where(e => e.Library == LlamaNative.Llama
                ? !e.Files.Contains("include/llama.h")
                : !e.Files.Any(f => f.StartsWith("ggml/include/", StringComparison.Ordinal)))
            .Select(e => $"{e.Name} is bound from '{e.Library}' but declared in {string.Join(", ", e.Files)}")
            .ToList();

        Assert.True(misplaced.Count == 0, string.Join("\n", misplaced));
    }

    [Fact]
    public void FilesDeclaring_UnknownFunction_FindsNothing()
    {
        // Guards the check above against a pattern that matches everything.
        Assert.Empty(PinnedHeaders.FilesDeclaring("llama_function_that_does_not_exist"));
        Assert.Equal(["include/llama.h"], PinnedHeaders.FilesDeclaring("llama_decode"));
    }
}

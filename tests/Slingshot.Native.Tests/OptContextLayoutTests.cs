using System.Diagnostics;
using System.Globalization;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Tests;

/// <summary>
/// The trainer reads and writes four fields of ggml-opt's private <c>struct ggml_opt_context</c>
/// (<see cref="GgmlOptContextLayout"/>). This compiles the pinned ggml-opt.cpp itself with g++ and compares
/// where the compiler puts them with the offsets the bindings use.
/// </summary>
public sealed class OptContextLayoutTests
{
    [Fact]
    public void GgmlOptContextLayout_Offsets_MatchCompiledPinnedSource()
    {
        var offsets = CompiledOffsets();

        Assert.Equal(GgmlOptContextLayout.CtxStatic, offsets["ctx_static"]);
        Assert.Equal(GgmlOptContextLayout.Iter, offsets["iter"]);
        Assert.Equal(GgmlOptContextLayout.OptPeriod, offsets["opt_period"]);
        Assert.Equal(GgmlOptContextLayout.OptI, offsets["opt_i"]);
        Assert.Equal(GgmlOptContextLayout.Optimizer, offsets["optimizer"]);
        Assert.Equal(GgmlOptContextLayout.Size, offsets["size"]);
        Assert.Equal(8, offsets["iter_size"]);
        Assert.Equal(4, offsets["opt_period_size"]);
    }

    private static Dictionary<string, int> CompiledOffsets()
    {
        var nativeDir = LlamaLibrary.ResolveDirectory();
        var source = Path.Combine(PinnedHeaders.SourceDir, "ggml", "src", "ggml-opt.cpp");
        Assert.True(File.Exists(source), $"the pinned source lacks {source}");
        var work = Directory.CreateTempSubdirectory("slingshot-optabi-");
        try
        {
            var probe = Path.Combine(work.FullName, "probe.cpp");
            var exe = Path.Combine(work.FullName, "probe");
            File.WriteAllText(probe, $$"""
                #include "{{source}}"
                #include <cstddef>
                #include <cstdio>
                int main() {
                    std::printf("ctx_static %zu\n", offsetof(ggml_opt_context, ctx_static));
                    std::printf("iter %zu\n", offsetof(ggml_opt_context, iter));
                    std::printf("iter_size %zu\n", sizeof(((ggml_opt_context *) 0)->iter));
                    std::printf("opt_period %zu\n", offsetof(ggml_opt_context, opt_period));
                    std::printf("opt_period_size %zu\n", sizeof(((ggml_opt_context *) 0)->opt_period));
                    std::printf("opt_i %zu\n", offsetof(ggml_opt_context, opt_i));
                    std::printf("optimizer %zu\n", offsetof(ggml_opt_context, optimizer));
                    std::printf("size %zu\n", sizeof(ggml_opt_context));
                    return 0;
                }
                """);
            // ggml-opt.cpp's functions link against the pinned libggml-base (the probe only prints offsets).
            Run("g++", ["-std=c++17", "-w", "-I", PinnedHeaders.GgmlInclude, "-I", Path.Combine(PinnedHeaders.SourceDir, "ggml", "src"),
                probe, "-o", exe, $"-L{nativeDir}", "-l:libggml-base.so", $"-Wl,-rpath,{nativeDir}"]);
            return Run(exe, []).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Run(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} exited with {process.ExitCode}: {stderr.Result}");
        return stdout;
    }
}

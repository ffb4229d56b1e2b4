using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Slingshot.Native.Tests;

/// <summary>What the C compiler says about one struct of the pinned llama.h.</summary>
internal sealed record CStructLayout(string Name, int Size, int Alignment, IReadOnlyDictionary<string, (int Offset, int Size)> Fields);

/// <summary>
/// Writes a C program that prints, for every struct in <see cref="StructMirrors"/>, its sizeof, _Alignof and the
/// offsetof/sizeof of every field (by the C names of the table), plus the bytes that the four
/// <c>*_default_params()</c> functions return; compiles it with gcc against the pinned headers, links it
/// against the libraries the bindings load, runs it once per test run and parses its output.
/// </summary>
internal static class CAbiProbe
{
    private static readonly Lazy<Result> s_result = new(Run);

    public static Result Get() => s_result.Value;

    internal sealed record Result(
        IReadOnlyDictionary<string, CStructLayout> Structs,
        IReadOnlyDictionary<string, int> Scalars,
        IReadOnlyDictionary<string, byte[]> Defaults);

    private static Result Run()
    {
        var nativeDir = LlamaLibrary.ResolveDirectory();
        var work = Directory.CreateTempSubdirectory("slingshot-abi-");
        try
        {
            var source = Path.Combine(work.FullName, "probe.c");
            var exe = Path.Combine(work.FullName, "probe");
            File.WriteAllText(source, Source());
            Exec("gcc", ["-std=gnu11", "-O0", "-I", PinnedHeaders.LlamaInclude, "-I", PinnedHeaders.GgmlInclude, source, "-o", exe,
                $"-L{nativeDir}", "-l:libllama.v0.5.0.so", "-l:libggml.v0.5.0.so", "-l:libggml-base.so", $"-Wl,-rpath,{nativeDir}"]);
            return Parse(Exec(exe, []));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Source()
    {
        var c = new StringBuilder();
        c.AppendLine("#include <stddef.h>");
        c.AppendLine("#include <stdio.h>");
        c.AppendLine("#include \"llama.h\"");
        c.AppendLine("static void dump(const char * fn, const void * p, size_t n) {");
        c.AppendLine("    printf(\"D %s \", fn);");
        c.AppendLine("    for (size_t i = 0; i < n; i++) printf(\"%02x\", ((const unsigned char *) p)[i]);");
        c.AppendLine("    printf(\"\\n\");");
        c.AppendLine("}");
        c.AppendLine("int main(void) {");
        foreach (var s in StructMirrors.All)
        {
            var type = $"struct {s.CName}";
            c.AppendLine($"    printf(\"S {s.CName} %zu %zu\\n\", sizeof({type}), _Alignof({type}));");
            foreach (var f in s.Fields)
            {
                c.AppendLine($"    printf(\"F {s.CName} {f.CName} %zu %zu\\n\", offsetof({type}, {f.CName}), sizeof((({type} *) 0)->{f.CName}));");
            }
        }
        foreach (var t in StructMirrors.Scalars)
        {
            c.AppendLine($"    printf(\"T {t.CName} %zu\\n\", sizeof({t.CName}));");
        }
        foreach (var d in StructMirrors.Defaults)
        {
            c.AppendLine($"    {{ struct {d.CStruct} v = {d.Function}(); dump(\"{d.Function}\", &v, sizeof v); }}");
        }
        c.AppendLine("    return 0;");
        c.AppendLine("}");
        return c.ToString();
    }

    private static Result Parse(string output)
    {
        var structs = new Dictionary<string, (int Size, int Alignment, Dictionary<string, (int, int)> Fields)>(StringComparer.Ordinal);
        var scalars = new Dictionary<string, int>(StringComparer.Ordinal);
        var defaults = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var p = line.Split(' ');
            switch (p[0])
            {
                case "S":
                    structs[p[1]] = (Int(p[2]), Int(p[3]), new Dictionary<string, (int, int)>(StringComparer.Ordinal));
                    break;
                case "F":
                    structs[p[1]].Fields[p[2]] = (Int(p[3]), Int(p[4]));
                    break;
                case "T":
                    scalars[p[1]] = Int(p[2]);
                    break;
                case "D":
                    defaults[p[1]] = Convert.FromHexString(p.Length > 2 ? p[2] : "");
                    break;
                default:
                    throw new InvalidOperationException($"unexpected line from the C probe: '{line}'");
            }
        }
        return new Result(
            structs.ToDictionary(s => s.Key, s => new CStructLayout(s.Key, s.Value.Size, s.Value.Alignment, s.Value.Fields), StringComparer.Ordinal),
            scalars,
            defaults);
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Exec(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot start '{file}' (the ABI test needs gcc on PATH): {ex.Message}", ex);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"'{file} {string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}:\n{stderr.Result}\n{stdout}");
            }
            return stdout;
        }
    }
}

using System.Reflection;
using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native;

/// <summary>Where and how to load llama.cpp; the first load in a process wins.</summary>
internal sealed record LlamaLibraryOptions
{
    /// <summary>Folder holding libllama, libggml, libggml-base and the backends. Default: the
    /// SLINGSHOT_LLAMA_NATIVE_DIR environment variable, else the <c>llama</c> folder beside the app, else the
    /// <c>runtimes/linux-x64/native</c> assets of the Slingshot.Native package (see <see cref="LlamaLibraryLocator"/>).</summary>
    public string? NativeDirectory { get; init; }

    /// <summary>Pins one CPU backend variant (for example "x64", "haswell", "zen4") instead of letting ggml
    /// choose the best one; outputs differ between variants, so reproducible tests pin one. Default: the
    /// SLINGSHOT_LLAMA_CPU_VARIANT environment variable, else automatic.</summary>
    public string? CpuVariant { get; init; }
}

/// <summary>What was loaded, for diagnostics (<c>slingshot doctor</c>).</summary>
internal sealed record LlamaLibraryInfo(
    string Directory,
    string LibraryPath,
    string Version,
    string? CpuVariant,
    string SystemInfo,
    IReadOnlyList<string> Devices,
    IReadOnlyList<string> AvailableCpuVariants);

/// <summary>
/// Loads the pinned llama.cpp build lazily and diagnosably: resolves the versioned library files, checks
/// that the loaded build is the one the bindings mirror, loads the backends before llama_backend_init
/// (without them every model load fails) and records which CPU variant ggml chose.
/// </summary>
internal static class LlamaLibrary
{
    /// <summary>The build the bindings mirror: llama.cpp as shipped in node-llama-cpp 3.22.1.</summary>
    public const string ExpectedVersion = "0.5.0-dev";
    public const string ExpectedBuild = "llama.cpp 0.5.0-dev (npm @node-llama-cpp/linux-x64@3.22.1)";
    public const string NativeDirVariable = "SLINGSHOT_LLAMA_NATIVE_DIR";
    public const string CpuVariantVariable = "SLINGSHOT_LLAMA_CPU_VARIANT";

    private static readonly Lock s_gate = new();
    private static LlamaLibraryInfo? s_info;
    private static Exception? s_failure;
    // Concurrent: a companion library (the chat bridge) is added after start-up while the resolver may be reading.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, nint> s_handles = new(StringComparer.Ordinal);

    public static bool IsLoaded => s_info is not null;

    /// <summary>Loads the library once; later calls return the same result (or rethrow the same failure).</summary>
    public static LlamaLibraryInfo EnsureLoaded(LlamaLibraryOptions? options = null)
    {
        if (s_info is { } loaded)
        {
            return loaded;
        }
        lock (s_gate)
        {
            if (s_info is not null)
            {
                return s_info;
            }
            if (s_failure is not null)
            {
                throw new LlamaLibraryException(s_failure.Message, s_failure);
            }
            try
            {
                s_info = Load(options ?? new LlamaLibraryOptions());
                return s_info;
            }
            catch (Exception ex)
            {
                s_failure = ex;
                throw ex as LlamaLibraryException ?? new LlamaLibraryException(ex.Message, ex);
            }
        }
    }

    /// <summary>The folder the loader would use, without loading anything.</summary>
    public static string ResolveDirectory(LlamaLibraryOptions? options = null)
    {
        var dir = options?.NativeDirectory;
        if (string.IsNullOrWhiteSpace(dir))
        {
            dir = Environment.GetEnvironmentVariable(NativeDirVariable);
        }
        if (string.IsNullOrWhiteSpace(dir))
        {
            // Where none holds the libraries, name the repository build's folder in the error.
            dir = LlamaLibraryLocator.ForCurrentApp() ?? Path.Combine(AppContext.BaseDirectory, "llama");
        }
        return Path.GetFullPath(dir);
    }

    private static LlamaLibraryInfo Load(LlamaLibraryOptions options)
    {
        var dir = ResolveDirectory(options);
        if (!Directory.Exists(dir))
        {
            throw new LlamaLibraryException(
                $"llama.cpp libraries not found: folder '{dir}' does not exist (build the project to provision them, reference the Slingshot.Native package on {LlamaLibraryLocator.RuntimeIdentifier}, or set {NativeDirVariable}).");
        }

        var llamaPath = FindLibrary(dir, "llama");
        var ggmlPath = FindLibrary(dir, "ggml");
        var ggmlBasePath = FindLibrary(dir, "ggml-base");
        s_handles[LlamaNative.GgmlBase] = LoadFile(ggmlBasePath);
        s_handles[LlamaNative.Ggml] = LoadFile(ggmlPath);
        s_handles[LlamaNative.Llama] = LoadFile(llamaPath);
        NativeLibrary.SetDllImportResolver(typeof(LlamaLibrary).Assembly, Resolve);

        CheckBuild(llamaPath);

        LlamaLog.Install();
        var variant = options.CpuVariant;
        if (string.IsNullOrWhiteSpace(variant))
        {
            variant = Environment.GetEnvironmentVariable(CpuVariantVariable);
        }
        var variants = Directory.GetFiles(dir, "libggml-cpu-*.so")
            .Select(p => Path.GetFileNameWithoutExtension(p)["libggml-cpu-".Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();
        var chosen = LoadBackends(dir, variant, variants);
        LlamaNative.llama_backend_init();
        LlamaLog.Information($"llama.cpp {ExpectedVersion} loaded from {llamaPath}; CPU variant {chosen ?? "unknown"}{(string.IsNullOrWhiteSpace(variant) ? " (chosen by ggml)" : " (pinned)")}.");

        return new LlamaLibraryInfo(dir, llamaPath, ExpectedVersion, chosen, ReadSystemInfo(), ListDevices(), variants);
    }

    private static string? LoadBackends(string dir, string? variant, string[] variants)
    {
        if (!string.IsNullOrWhiteSpace(variant))
        {
            var path = Path.Combine(dir, $"libggml-cpu-{variant}.so");
            if (!File.Exists(path))
            {
                throw new LlamaLibraryException(
                    $"CPU variant '{variant}' not found in '{dir}'; available: {string.Join(", ", variants)}.");
            }
            using var capture = LlamaLog.Capture();
            if (LlamaNative.ggml_backend_load(path) == nint.Zero)
            {
                throw new LlamaLibraryException(
                    $"CPU variant '{variant}' cannot run on this CPU ({capture.Explain()}); available: {string.Join(", ", variants)}.");
            }
            return variant;
        }

        string? chosen = null;
        void Watch(GgmlLogLevel level, string line)
        {
            // ggml says which backend file it picked: "load_backend: loaded CPU backend from .../libggml-cpu-zen4.so"
            var at = line.IndexOf("libggml-cpu-", StringComparison.Ordinal);
            if (line.Contains("loaded CPU backend", StringComparison.Ordinal) && at >= 0)
            {
                chosen = Path.GetFileNameWithoutExtension(line[at..].Trim())["libggml-cpu-".Length..];
            }
        }
        LlamaLog.LineLogged += Watch;
        try
        {
            LlamaNative.ggml_backend_load_all_from_path(dir);
        }
        finally
        {
            LlamaLog.LineLogged -= Watch;
        }
        return chosen;
    }

    private static unsafe void CheckBuild(string llamaPath)
    {
        var differences = new List<string>();
        var missing = RequiredExports()
            .Where(e => !NativeLibrary.TryGetExport(s_handles[e.Library], e.Name, out _))
            .Select(e => e.Name)
            .ToList();
        if (missing.Count > 0)
        {
            differences.Add($"missing functions: {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}");
        }

        var version = missing.Contains("llama_version") ? "unknown" : LlamaNative.ReadString(LlamaNative.llama_version()) ?? "unknown";
        if (version != ExpectedVersion)
        {
            differences.Add($"version {version} instead of {ExpectedVersion}");
        }
        else
        {
            // Same version string: the layout fingerprint of the default parameters must match too.
            var ctx = LlamaNative.llama_context_default_params();
            if (ctx.NCtx != 512 || ctx.NBatch != 2048 || ctx.NUbatch != 512 || ctx.NSeqMax != 1 || ctx.FlashAttnType != -1)
            {
                differences.Add("llama_context_default_params() does not match the mirrored layout");
            }
        }

        if (differences.Count > 0)
        {
            throw new LlamaLibraryException(
                $"llama.cpp build mismatch: expected {ExpectedBuild}, loaded '{llamaPath}': {string.Join("; ", differences)}.");
        }
    }

    /// <summary>Every C function the bindings declare, with the library it lives in.</summary>
    internal static IEnumerable<(string Library, string Name)> RequiredExports() =>
        typeof(LlamaNative).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => (Method: m, Import: m.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(x => x.Import is not null)
            .Select(x => (x.Import!.LibraryName, x.Import.EntryPoint ?? x.Method.Name))
            .Distinct();

    /// <summary>
    /// Loads a library that is not part of llama.cpp but links against it (the chat bridge), and lets the bindings
    /// resolve <paramref name="libraryName"/> to it. Loads llama.cpp first, so the companion's dependencies resolve to
    /// the libraries already loaded.
    /// </summary>
    public static nint LoadCompanion(string libraryName, string path)
    {
        EnsureLoaded();
        return s_handles.GetOrAdd(libraryName, _ => LoadFile(path));
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        s_handles.TryGetValue(libraryName, out var handle) ? handle : nint.Zero;

    private static string FindLibrary(string dir, string name)
    {
        // The pinned build names files libllama.v0.5.0.so; plain builds use libllama.so.
        var candidates = Directory.GetFiles(dir, $"lib{name}.v*.so")
            .Concat(Directory.GetFiles(dir, $"lib{name}.so"))
            .ToArray();
        return candidates.Length > 0
            ? candidates[0]
            : throw new LlamaLibraryException(
                $"llama.cpp library lib{name}.so not found in '{dir}' (build the project to provision it, or set {NativeDirVariable}).");
    }

    private static nint LoadFile(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException ex)
        {
            throw new LlamaLibraryException($"cannot load '{path}': {ex.Message.Split('\n')[0]}", ex);
        }
    }

    private static unsafe string ReadSystemInfo() =>
        (LlamaNative.ReadString(LlamaNative.llama_print_system_info()) ?? string.Empty).Trim().TrimEnd('|').Trim();

    private static unsafe string[] ListDevices()
    {
        var count = (int)LlamaNative.ggml_backend_dev_count();
        var devices = new string[count];
        for (var i = 0; i < count; i++)
        {
            var dev = LlamaNative.ggml_backend_dev_get((nuint)i);
            devices[i] = $"{LlamaNative.ReadString(LlamaNative.ggml_backend_dev_name(dev))} ({LlamaNative.ReadString(LlamaNative.ggml_backend_dev_description(dev))})";
        }
        return devices;
    }
}

/// <summary>The llama.cpp libraries could not be found, loaded or matched to the bindings.</summary>
internal sealed class LlamaLibraryException : Exception
{
    public LlamaLibraryException(string message) : base(message) { }
    public LlamaLibraryException(string message, Exception inner) : base(message, inner) { }
}

using Microsoft.Extensions.Logging;
using Slingshot.Native;

namespace Slingshot;

/// <summary>How the llama.cpp libraries are found and loaded. Set before the first model loads.</summary>
public sealed record LlamaRuntimeOptions
{
    /// <summary>Folder of the llama.cpp build; default SLINGSHOT_LLAMA_NATIVE_DIR, else <c>llama/</c> beside the app.</summary>
    public string? NativeDirectory { get; init; }

    /// <summary>Pins one CPU backend variant (e.g. "x64", "haswell", "zen4"); default SLINGSHOT_LLAMA_CPU_VARIANT, else the best one.</summary>
    public string? CpuVariant { get; init; }

    /// <summary>Receives llama.cpp's own log, line by line (category "Slingshot.LlamaCpp").</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>What the runtime loaded: shown by <c>slingshot doctor</c>.</summary>
/// <param name="NativeDirectory">The folder the libraries came from.</param>
/// <param name="LibraryPath">The loaded libllama file.</param>
/// <param name="Version">llama.cpp's version string.</param>
/// <param name="ExpectedBuild">The build the bindings mirror.</param>
/// <param name="CpuVariant">The CPU backend variant in use, when known.</param>
/// <param name="AvailableCpuVariants">CPU variants present in the folder.</param>
/// <param name="SystemInfo">llama.cpp's feature line (AVX2, AVX512, ...).</param>
/// <param name="Devices">Compute devices the backends registered.</param>
/// <param name="DefaultThreads">Threads a context uses unless told otherwise: the cores .NET reports.</param>
public sealed record RuntimeInfo(
    string NativeDirectory,
    string LibraryPath,
    string Version,
    string ExpectedBuild,
    string? CpuVariant,
    IReadOnlyList<string> AvailableCpuVariants,
    string SystemInfo,
    IReadOnlyList<string> Devices,
    int DefaultThreads);

/// <summary>
/// The process-wide llama.cpp runtime. Loading is lazy (the first model load triggers it) and happens once;
/// <see cref="Initialize"/> only matters when called before that.
/// </summary>
public static class LlamaRuntime
{
    private static LlamaRuntimeOptions s_options = new();

    /// <summary>Threads used when none are given: never more than the cores .NET reports, since ggml's
    /// barrier busy-waits and oversubscribed cores make decoding hundreds of times slower.</summary>
    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount);

    /// <summary>Loads llama.cpp with these options (or returns what is already loaded).</summary>
    /// <exception cref="SlingshotException">The libraries are missing, cannot load or do not match the bindings.</exception>
    public static RuntimeInfo Initialize(LlamaRuntimeOptions? options = null)
    {
        if (options is not null)
        {
            s_options = options;
        }
        if (s_options.LoggerFactory is { } factory)
        {
            LlamaLog.LoggerFactory = factory;
        }
        return EnsureLoaded();
    }

    /// <summary>What is loaded, loading it first if needed.</summary>
    public static RuntimeInfo Info => EnsureLoaded();

    internal static RuntimeInfo EnsureLoaded()
    {
        try
        {
            var info = LlamaLibrary.EnsureLoaded(new LlamaLibraryOptions
            {
                NativeDirectory = s_options.NativeDirectory,
                CpuVariant = s_options.CpuVariant,
            });
            return new RuntimeInfo(info.Directory, info.LibraryPath, info.Version, LlamaLibrary.ExpectedBuild,
                info.CpuVariant, info.AvailableCpuVariants, info.SystemInfo, info.Devices, DefaultThreads);
        }
        catch (LlamaLibraryException ex)
        {
            throw new SlingshotException(ex.Message, ex);
        }
    }
}

using Slingshot.Gguf;
using Slingshot.Native;
using Slingshot.Native.Interop;

namespace Slingshot;

/// <summary>Quantizes a GGUF model through llama_model_quantize.</summary>
public static class ModelQuantizer
{
    /// <summary>Target types by name (llama.cpp's llama_ftype values).</summary>
    public static IReadOnlyDictionary<string, int> Types { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["F32"] = 0, ["F16"] = 1, ["BF16"] = 32,
        ["Q4_0"] = 2, ["Q4_1"] = 3, ["Q5_0"] = 8, ["Q5_1"] = 9, ["Q8_0"] = 7,
        ["Q2_K"] = 10, ["Q3_K_S"] = 11, ["Q3_K_M"] = 12, ["Q3_K_L"] = 13,
        ["Q4_K_S"] = 14, ["Q4_K_M"] = 15, ["Q5_K_S"] = 16, ["Q5_K_M"] = 17, ["Q6_K"] = 18,
        ["IQ4_NL"] = 25, ["IQ4_XS"] = 30,
    };

    /// <summary>Writes a quantized copy of <paramref name="inputPath"/> to <paramref name="outputPath"/>.</summary>
    /// <param name="inputPath">A GGUF model.</param>
    /// <param name="outputPath">Where to write; must differ from the input.</param>
    /// <param name="type">A name from <see cref="Types"/>, e.g. "Q8_0" or "Q4_K_M".</param>
    /// <param name="threads">Threads to use; default the cores .NET reports.</param>
    public static unsafe void Quantize(string inputPath, string outputPath, string type, int? threads = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (!Types.TryGetValue(type, out var ftype))
        {
            throw new ArgumentException($"Unknown quantization type '{type}'; choose one of {string.Join(", ", Types.Keys)}.");
        }
        var input = Path.GetFullPath(inputPath);
        var output = Path.GetFullPath(outputPath);
        if (input == output)
        {
            throw new ArgumentException("The output must be a different file from the input.");
        }
        GgufValidator.Validate(input);
        var outputDir = Path.GetDirectoryName(output);
        if (outputDir is not null && !Directory.Exists(outputDir))
        {
            throw new ArgumentException($"Output folder '{outputDir}' does not exist.");
        }
        LlamaRuntime.EnsureLoaded();

        var parameters = LlamaNative.llama_model_quantize_default_params();
        parameters.FType = ftype;
        parameters.NThread = threads ?? LlamaRuntime.DefaultThreads;
        using var capture = LlamaLog.Capture();
        var rc = LlamaNative.llama_model_quantize(input, output, &parameters);
        if (rc != 0)
        {
            TryDelete(output);
            throw new SlingshotException($"Quantizing '{input}' to {type} failed (error {rc}): {capture.Explain()}.");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}

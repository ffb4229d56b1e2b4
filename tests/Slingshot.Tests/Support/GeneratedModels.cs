using Slingshot.Gguf;

namespace Slingshot.Tests.Support;

/// <summary>
/// Random-weight models written by the project's own GGUF writer, once per test run into a temp folder.
/// Quantized (Q8_0) models give bit-identical logits batched and unbatched, so equality tests use them.
/// </summary>
internal static class GeneratedModels
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("slingshot-tests-").FullName;
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string> Cache = [];

    /// <summary>The "tiny" preset in Q8_0 with a ChatML template.</summary>
    public static string TinyQ8 => Get("tiny", GgmlType.Q8_0);

    /// <summary>The "tiny" preset in F32 (input for quantization tests).</summary>
    public static string TinyF32 => Get("tiny", GgmlType.F32);

    public static string Get(string shape, GgmlType type, int seed = 1)
    {
        var key = $"{shape}-{type}-{seed}";
        lock (Gate)
        {
            if (!Cache.TryGetValue(key, out var path))
            {
                path = Path.Combine(Folder, key + ".gguf");
                RandomModelWriter.Write(path, LlamaShape.Parse(shape), new RandomModelOptions { Seed = seed, TensorType = type });
                Cache[key] = path;
            }
            return path;
        }
    }

    /// <summary>A LoRA adapter for the tiny shape.</summary>
    public static string TinyLora()
    {
        lock (Gate)
        {
            const string key = "tiny-lora";
            if (!Cache.TryGetValue(key, out var path))
            {
                path = Path.Combine(Folder, key + ".gguf");
                LoraAdapterWriter.Write(path, LlamaShape.Parse("tiny"), new LoraAdapterOptions { Seed = 7 });
                Cache[key] = path;
            }
            return path;
        }
    }

    public static string TempFile(string name) => Path.Combine(Folder, name);
}

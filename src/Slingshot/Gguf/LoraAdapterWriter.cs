namespace Slingshot.Gguf;

/// <summary>
/// Writes a random GGUF LoRA adapter that llama.cpp's <c>llama_adapter_lora_init</c> accepts for a model of
/// a given <see cref="LlamaShape"/>. The rules come from src/llama-adapter.cpp: general.type "adapter",
/// adapter.type "lora", the base model's architecture, and for each adapted weight W (ggml shape
/// [in, out]) a pair <c>W.lora_a</c> of shape [in, rank] and <c>W.lora_b</c> of shape [rank, out].
/// </summary>
public static class LoraAdapterWriter
{
    /// <summary>Writes the adapter to <paramref name="path"/> (F32 tensors).</summary>
    /// <exception cref="ArgumentException">The shape is invalid, or a target or setting is not usable.</exception>
    public static void Write(string path, LlamaShape shape, LoraAdapterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shape);
        options ??= new LoraAdapterOptions();
        shape.ThrowIfInvalid(nameof(shape));
        List<(string Name, ulong[] Shape)> tensors = Plan(shape, options);

        using var writer = new GgufWriter(path);
        writer.AddString("general.architecture", "llama");
        writer.AddString("general.type", "adapter");
        writer.AddString("general.name", $"{shape.Name}-lora-r{options.Rank}");
        writer.AddString("adapter.type", "lora");
        writer.AddFloat32("adapter.lora.alpha", options.Alpha);
        foreach (var (name, tensorShape) in tensors)
        {
            writer.AddTensor(name, tensorShape, GgmlType.F32);
        }

        var chunk = new byte[1 << 20];
        for (int index = 0; index < writer.Tensors.Count; index++)
        {
            var random = new RandomWeights(options.Seed, (ulong)index);
            GgufTensorInfo tensor = writer.Tensors[index];
            for (ulong written = 0; written < tensor.ByteSize;)
            {
                int length = (int)Math.Min((ulong)chunk.Length, tensor.ByteSize - written);
                random.Fill(chunk.AsSpan(0, length), GgmlType.F32, options.StdDev);
                writer.WriteTensorData(chunk.AsSpan(0, length));
                written += (ulong)length;
            }
        }
        writer.Finish();
    }

    private static List<(string Name, ulong[] Shape)> Plan(LlamaShape shape, LoraAdapterOptions options)
    {
        if (options.Rank < 1)
        {
            throw new ArgumentException($"LoRA rank {options.Rank} must be at least 1.", nameof(options));
        }
        if (!float.IsFinite(options.Alpha) || !float.IsFinite(options.StdDev) || options.StdDev < 0)
        {
            throw new ArgumentException("LoRA alpha and StdDev must be finite, and StdDev non-negative.", nameof(options));
        }
        if (options.Targets is not { Count: > 0 } targets || targets.Distinct(StringComparer.Ordinal).Count() != targets.Count)
        {
            throw new ArgumentException("LoRA targets must name at least one matrix, each once.", nameof(options));
        }

        var tensors = new List<(string, ulong[])>();
        void AddPair(string weight, ulong[] weightShape)
        {
            ulong rank = (ulong)options.Rank;
            tensors.Add(($"{weight}.lora_a", [weightShape[0], rank]));
            tensors.Add(($"{weight}.lora_b", [rank, weightShape[1]]));
        }

        foreach (string target in targets)
        {
            if (target == "output")
            {
                if (shape.TiedEmbeddings)
                {
                    throw new ArgumentException($"Model shape '{shape.Name}' ties its embeddings, so it has no output matrix to adapt.", nameof(options));
                }
                AddPair("output.weight", LlamaTensorLayout.MatrixShape(shape, target));
            }
            else if (!LlamaTensorLayout.LayerMatrices.Contains(target))
            {
                throw new ArgumentException(
                    $"Unknown LoRA target '{target}'; use {string.Join(", ", LlamaTensorLayout.LayerMatrices)} or output.", nameof(options));
            }
        }
        for (int layer = 0; layer < shape.LayerCount; layer++)
        {
            foreach (string target in targets.Where(target => target != "output"))
            {
                AddPair($"blk.{layer}.{target}.weight", LlamaTensorLayout.MatrixShape(shape, target));
            }
        }
        return tensors;
    }
}

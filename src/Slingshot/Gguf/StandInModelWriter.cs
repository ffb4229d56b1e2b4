namespace Slingshot.Gguf;

/// <summary>How <see cref="StandInModelWriter"/> builds a stand-in model.</summary>
public sealed record StandInModelOptions
{
    /// <summary>The architecture, one of <see cref="StandInArchitectures.Names"/>. Default "llama".</summary>
    public string Architecture { get; init; } = "llama";

    /// <summary>A GGUF whose tokenizer (every <c>tokenizer.*</c> key: tokens, merges, scores, types, special tokens,
    /// pre-tokenizer, chat template) the model takes, such as llama.cpp's <c>models/ggml-vocab-qwen2.gguf</c>.</summary>
    public required string VocabularyPath { get; init; }

    /// <summary>The chat template to store instead of the vocabulary file's: a Jinja text or a llama.cpp built-in name;
    /// null keeps the vocabulary file's own (or none).</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>Seed of the weights; the same inputs always give a byte-identical file. Default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Storage type of the weight matrices: F32, F16 or Q8_0 (default). Norms and biases are F32.</summary>
    public GgmlType TensorType { get; init; } = GgmlType.Q8_0;

    /// <summary>Standard deviation of the weights. Default 0.02.</summary>
    public float WeightStdDev { get; init; } = 0.02f;

    /// <summary>Receives the fraction of tensor data written, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}

/// <summary>
/// Writes random-weight models of real architectures with a real family's tokenizer and chat template taken from a
/// vocabulary GGUF: the closest stand-in for a user's model that needs no download. The shape's vocabulary size is
/// replaced by the donor's token count; everything else (width, layers, heads) comes from the <see cref="LlamaShape"/>.
/// </summary>
public static class StandInModelWriter
{
    /// <summary>Writes the model to <paramref name="path"/>, replacing any file there only once it is complete.</summary>
    /// <exception cref="ArgumentException">Unknown architecture, a vocabulary file without a tokenizer, or a shape the
    /// tensor type cannot store.</exception>
    public static void Write(string path, LlamaShape shape, StandInModelOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(options);
        if (!StandInArchitectures.IsSupported(options.Architecture))
        {
            throw new ArgumentException(
                $"Architecture '{options.Architecture}' cannot be written; use one of {string.Join(", ", StandInArchitectures.Names)}.", nameof(options));
        }
        var donor = ReadTokenizer(options.VocabularyPath);
        var tokenCount = donor.First(kv => kv.Key == "tokenizer.ggml.tokens").Value.Length;
        shape = shape with { VocabSize = tokenCount };
        shape.ThrowIfInvalid(nameof(shape));
        var random = new RandomModelOptions { Seed = options.Seed, TensorType = options.TensorType, WeightStdDev = options.WeightStdDev, Progress = options.Progress };
        RandomModelWriter.CheckTensorType(shape, random);

        var tensors = StandInArchitectures.Tensors(options.Architecture, shape).ToList();
        var temporary = path + ".partial";
        try
        {
            using (var writer = new GgufWriter(temporary))
            {
                writer.AddString("general.architecture", options.Architecture);
                writer.AddString("general.type", "model");
                writer.AddString("general.name", $"{shape.Name} {options.Architecture} stand-in ({Path.GetFileNameWithoutExtension(options.VocabularyPath)})");
                writer.AddUInt32("general.file_type", options.TensorType switch { GgmlType.F32 => 0u, GgmlType.F16 => 1u, _ => 7u });
                if (options.TensorType == GgmlType.Q8_0)
                {
                    writer.AddUInt32("general.quantization_version", 2);
                }
                StandInArchitectures.AddHyperparameters(writer, options.Architecture, shape);
                foreach (var (key, value) in donor.Where(kv => options.ChatTemplate is null || kv.Key != "tokenizer.chat_template"))
                {
                    writer.AddMetadata(key, value);
                }
                if (options.ChatTemplate is not null)
                {
                    writer.AddString("tokenizer.chat_template", options.ChatTemplate);
                }
                foreach (var tensor in tensors)
                {
                    // Norms and biases stay F32, as llama.cpp's converters and quantizers keep them.
                    writer.AddTensor(tensor.Name, tensor.Shape, tensor.Shape.Length == 1 ? GgmlType.F32 : options.TensorType);
                }
                RandomModelWriter.WriteData(writer, tensors, random);
                writer.Finish();
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>The <c>tokenizer.*</c> metadata of a GGUF (a vocabulary-only file or a full model).</summary>
    private static List<KeyValuePair<string, GgufValue>> ReadTokenizer(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"Vocabulary file '{path}' does not exist.", nameof(path));
        }
        var file = GgufFile.Read(path);
        var tokenizer = file.Metadata.Where(kv => kv.Key.StartsWith("tokenizer.", StringComparison.Ordinal)).ToList();
        return tokenizer.Any(kv => kv.Key == "tokenizer.ggml.tokens" && kv.Value.IsArray && kv.Value.Length > 0)
            ? tokenizer
            : throw new ArgumentException($"'{path}' holds no tokenizer (tokenizer.ggml.tokens); give a vocabulary GGUF such as llama.cpp's models/ggml-vocab-*.gguf.", nameof(path));
    }
}

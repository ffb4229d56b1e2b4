namespace Slingshot.Gguf;

/// <summary>
/// Checks a model file before it reaches llama.cpp. A failed <c>GGML_ASSERT</c> kills the whole process, so
/// everything that can be known from the header is checked here and reported as a one-line
/// <see cref="InvalidModelFileException"/> naming the path and the problem: the header parses (see
/// <see cref="GgufFile.Read"/>), the tensor data lies inside the file where llama.cpp expects it, the
/// architecture is one the pinned build knows, the token list has no duplicates, and no hyperparameter holds a
/// value llama.cpp asserts on instead of refusing (see <see cref="HyperparameterChecks"/>): a layer count outside 1
/// to 512, inconsistent expert counts, an unknown rope scaling type, a negative norm epsilon, rope or head sizes
/// the architecture's graph cannot use, per-layer head counts the tensors contradict, a vocabulary that cannot
/// tokenize.
/// </summary>
public static class GgufValidator
{
    /// <summary>Metadata key of the token list.</summary>
    public const string TokenListKey = "tokenizer.ggml.tokens";

    /// <summary>Validates the model file at <paramref name="path"/> and returns its parsed header.</summary>
    /// <exception cref="InvalidModelFileException">The file is missing or cannot be loaded safely.</exception>
    public static GgufFile Validate(string path)
    {
        GgufFile file = GgufFile.Read(path);
        CheckTensorData(file);
        var architecture = CheckArchitecture(file);
        CheckTokens(file);
        if (HyperparameterChecks.FindProblem(file, architecture) is { } problem)
        {
            throw Invalid(file, problem);
        }
        return file;
    }

    private static void CheckTensorData(GgufFile file)
    {
        UInt128 needed = (ulong)file.DataOffset;
        foreach (GgufTensorInfo tensor in file.Tensors)
        {
            needed = UInt128.Max(needed, (UInt128)(ulong)file.DataOffset + tensor.Offset + tensor.ByteSize);
        }
        if (file.Tensors.Count > 0 && needed > (ulong)file.FileLength)
        {
            throw Invalid(file, $"truncated: tensor data needs {needed} bytes, file has {file.FileLength}");
        }

        // llama.cpp requires the tensors stored back to back in table order, each padded to the alignment.
        ulong expected = 0;
        foreach (GgufTensorInfo tensor in file.Tensors)
        {
            if (tensor.Offset != expected)
            {
                throw Invalid(file,
                    $"tensor '{tensor.Name}' has data offset {tensor.Offset}, expected {expected} (tensors must be stored in table order, each padded to {file.Alignment} bytes)");
            }
            expected += GgufHeaderParser.AlignUp(tensor.ByteSize, file.Alignment);
        }
    }

    private static string CheckArchitecture(GgufFile file)
    {
        if (!file.TryGetValue(GgufFile.ArchitectureKey, out GgufValue? value))
        {
            throw Invalid(file, $"missing {GgufFile.ArchitectureKey}");
        }
        if (value.Type != GgufValueType.String)
        {
            throw Invalid(file, $"{GgufFile.ArchitectureKey} is {Describe(value)}, expected a string");
        }
        string architecture = value.AsString();
        if (!LlamaArchitectures.IsSupported(architecture))
        {
            throw Invalid(file, $"unsupported architecture '{architecture}'");
        }
        return architecture;
    }

    /// <summary>
    /// llama.cpp asserts that every token string is unique (llama-vocab.cpp); a duplicate would abort the
    /// process at load time. Empty tokens are renamed "[EMPTY_i]" there, so they are compared that way.
    /// </summary>
    private static void CheckTokens(GgufFile file)
    {
        if (!file.TryGetValue(TokenListKey, out GgufValue? value) || !value.IsArray || value.ElementType != GgufValueType.String)
        {
            return;
        }
        IReadOnlyList<string> tokens = value.AsStringArray();
        var firstIds = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int id = 0; id < tokens.Count; id++)
        {
            string token = tokens[id].Length == 0 ? $"[EMPTY_{id}]" : tokens[id];
            if (!firstIds.TryAdd(token, id))
            {
                throw Invalid(file, $"{TokenListKey} has the token '{token}' twice (ids {firstIds[token]} and {id})");
            }
        }
    }

    private static string Describe(GgufValue value) => value.IsArray ? $"an array of {value.ElementType}" : value.Type.ToString();

    private static InvalidModelFileException Invalid(GgufFile file, string problem) => new(file.Path, problem);
}

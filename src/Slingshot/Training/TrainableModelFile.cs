using System.Buffers.Binary;
using Slingshot.Gguf;

namespace Slingshot.Training;

/// <summary>
/// Makes a GGUF trainable before llama.cpp sees it: llama.cpp trains only F32 tensors, so a selected F16 or
/// BF16 tensor is converted to F32 (into a copy in the checkpoint folder), and a selected quantized tensor is
/// refused with the reason (its weights cannot take gradient steps; train the F16/F32 original and quantize
/// afterwards). Tensors llama.cpp never trains (token_embd, rope_freqs) keep their type.
/// </summary>
internal static class TrainableModelFile
{
    /// <summary>Tensors llama.cpp's llama_opt_init skips whatever the filter says.</summary>
    public static bool NeverTrains(string name) => name is "token_embd.weight" or "rope_freqs.weight";

    /// <summary>The model's block count, from its tensor names.</summary>
    public static int BlockCount(GgufFile file) =>
        file.Tensors.Select(t => TensorSelection.BlockIndex(t.Name) ?? -1).DefaultIfEmpty(-1).Max() + 1;

    /// <summary>
    /// Returns the path to train from: <paramref name="path"/> itself when every selected tensor is F32, else an
    /// F32 copy written to <paramref name="convertedPath"/>. Notes say what happened.
    /// </summary>
    public static string Prepare(string path, string convertedPath, TensorSelection selection, List<string> notes)
    {
        var file = GgufFile.Read(path);
        var blocks = BlockCount(file);
        var selected = file.Tensors.Where(t => !NeverTrains(t.Name) && selection.Includes(t.Name, blocks)).ToList();
        var quantized = selected.Where(t => t.Type is not (GgmlType.F32 or GgmlType.F16 or GgmlType.BF16)).ToList();
        if (quantized.Count > 0)
        {
            var types = string.Join(", ", quantized.Select(t => t.Type.ToString()).Distinct());
            throw new ArgumentException(
                $"'{Path.GetFileName(path)}' is quantized ({types}, e.g. {quantized[0].Name}): llama.cpp trains only F32 weights and a quantized weight cannot take gradient steps; train the F16 or F32 model and quantize the result afterwards (slingshot quantize).");
        }
        if (!file.Tensors.Any(t => t.Name == "output.weight"))
        {
            notes.Add("the model ties its output layer to token_embd.weight, which llama.cpp does not train: the output layer stays as it is");
        }
        var toConvert = selected.Where(t => t.Type is GgmlType.F16 or GgmlType.BF16).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        if (toConvert.Count == 0)
        {
            return path;
        }
        notes.Add($"{toConvert.Count} F16/BF16 tensors converted to F32 for training (the output is F32; quantize it afterwards if you like)");
        GgufCopy.Write(path, convertedPath, metadata: (key, value) => key == "general.file_type" ? GgufValue.FromUInt32(0) : value,
            tensorType: t => toConvert.Contains(t.Name) ? GgmlType.F32 : t.Type,
            tensorData: (t, source, destination) =>
            {
                if (!toConvert.Contains(t.Name))
                {
                    return false;
                }
                var count = source.Length / 2;
                for (var i = 0; i < count; i++)
                {
                    var bits = BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(i * 2, 2));
                    var value = t.Type == GgmlType.F16 ? (float)BitConverter.UInt16BitsToHalf(bits) : BitConverter.Int32BitsToSingle(bits << 16);
                    BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * 4, 4), value);
                }
                return true;
            });
        return convertedPath;
    }
}

/// <summary>
/// Copies a GGUF with changes: metadata values mapped or dropped, tensor types changed, tensor data produced by a
/// callback (or copied). Written to a temporary file and moved into place, so a crash never leaves half a model.
/// </summary>
internal static class GgufCopy
{
    /// <summary>Produces a tensor's new bytes into <c>destination</c> from its old ones; false copies them unchanged.</summary>
    public delegate bool TensorData(GgufTensorInfo tensor, ReadOnlySpan<byte> source, Span<byte> destination);

    public static void Write(string sourcePath, string destinationPath,
        Func<string, GgufValue, GgufValue?>? metadata = null, Func<GgufTensorInfo, GgmlType>? tensorType = null,
        TensorData? tensorData = null, IReadOnlyList<KeyValuePair<string, GgufValue>>? extraMetadata = null)
    {
        var source = GgufFile.Read(sourcePath);
        var temporary = destinationPath + ".partial";
        try
        {
            using (var input = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            using (var writer = new GgufWriter(temporary, source.Alignment))
            {
                var extra = extraMetadata ?? [];
                foreach (var (key, value) in source.Metadata)
                {
                    if (key == GgufFile.AlignmentKey || extra.Any(e => e.Key == key))
                    {
                        continue;
                    }
                    if ((metadata is null ? value : metadata(key, value)) is { } mapped)
                    {
                        writer.AddMetadata(key, mapped);
                    }
                }
                foreach (var (key, value) in extra)
                {
                    writer.AddMetadata(key, value);
                }
                var declared = source.Tensors.Select(t => writer.AddTensor(t.Name, t.Shape, tensorType?.Invoke(t) ?? t.Type)).ToList();
                for (var i = 0; i < source.Tensors.Count; i++)
                {
                    var tensor = source.Tensors[i];
                    var bytes = new byte[tensor.ByteSize];
                    input.Position = source.DataOffset + (long)tensor.Offset;
                    input.ReadExactly(bytes);
                    var output = new byte[declared[i].ByteSize];
                    if (tensorData is null || !tensorData(tensor, bytes, output))
                    {
                        if (output.Length != bytes.Length)
                        {
                            throw new InvalidOperationException($"Tensor '{tensor.Name}' changes size but no data was produced for it.");
                        }
                        bytes.CopyTo(output, 0);
                    }
                    writer.WriteTensorData(output);
                }
                writer.Finish();
            }
            File.Move(temporary, destinationPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}

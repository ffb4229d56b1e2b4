using System.Globalization;
using Slingshot.Gguf;

namespace Slingshot.Tests.Support;

/// <summary>
/// Copies a valid GGUF model with some metadata changed, through the project's own reader and writer, so a test gets
/// a real model that differs from a working one in exactly the values under test. Changes are written
/// <c>key=type:value</c> (types u32, i32, f32, bool, str, u32[], i32[]; a comma-separated list for arrays) or
/// <c>key=-</c> to remove the key, separated by spaces; <c>@arch=name</c> renames the architecture and its keys.
/// </summary>
internal static class GgufRewriter
{
    public static string Rewrite(string source, string destination, string changes)
    {
        var file = GgufFile.Read(source);
        var oldArchitecture = file.Architecture!;
        var newArchitecture = oldArchitecture;
        var edits = new Dictionary<string, GgufValue?>(StringComparer.Ordinal);
        foreach (var change in changes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = change.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = (change[..equals], change[(equals + 1)..]);
            if (key == "@arch")
            {
                newArchitecture = value;
                continue;
            }
            edits[key] = value == "-" ? null : Parse(value);
        }

        using (var writer = new GgufWriter(destination, file.Alignment))
        {
            foreach (var (oldKey, oldValue) in file.Metadata)
            {
                if (oldKey == GgufFile.AlignmentKey)
                {
                    continue; // the writer records it from its constructor
                }
                var key = oldKey.StartsWith(oldArchitecture + ".", StringComparison.Ordinal) ? newArchitecture + oldKey[oldArchitecture.Length..] : oldKey;
                var value = key == GgufFile.ArchitectureKey ? GgufValue.FromString(newArchitecture) : oldValue;
                if (edits.Remove(key, out var edited))
                {
                    value = edited;
                }
                if (value is not null)
                {
                    writer.AddMetadata(key, value);
                }
            }
            foreach (var (key, value) in edits.Where(e => e.Value is not null))
            {
                writer.AddMetadata(key, value!);
            }
            foreach (var tensor in file.Tensors)
            {
                writer.AddTensor(tensor.Name, tensor.Shape, tensor.Type);
            }
            using var data = File.OpenRead(source);
            foreach (var tensor in file.Tensors)
            {
                var bytes = new byte[tensor.ByteSize];
                data.Position = file.DataOffset + (long)tensor.Offset;
                data.ReadExactly(bytes);
                writer.WriteTensorData(bytes);
            }
            writer.Finish();
        }
        return destination;
    }

    private static GgufValue Parse(string typed)
    {
        var colon = typed.IndexOf(':', StringComparison.Ordinal);
        var (type, text) = (typed[..colon], typed[(colon + 1)..]);
        var culture = CultureInfo.InvariantCulture;
        return type switch
        {
            "u32" => GgufValue.FromUInt32(uint.Parse(text, culture)),
            "i32" => GgufValue.FromInt32(int.Parse(text, culture)),
            "f32" => GgufValue.FromFloat32(float.Parse(text, culture)),
            "bool" => GgufValue.FromBool(bool.Parse(text)),
            "str" => GgufValue.FromString(text),
            "u32[]" => GgufValue.FromArray<uint>(text.Split(',').Select(x => uint.Parse(x, culture)).ToArray()),
            "i32[]" => GgufValue.FromArray<int>(text.Split(',').Select(x => int.Parse(x, culture)).ToArray()),
            _ => throw new ArgumentException($"Unknown value type '{type}' in '{typed}'."),
        };
    }
}

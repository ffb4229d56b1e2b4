using System.Buffers.Binary;
using System.Text;

namespace Slingshot.Cli.Tests;

/// <summary>Malformed model files given to the commands that load models: a one-line error, never an abort.</summary>
public sealed class ModelFileCommandTests
{
    [Theory]
    [InlineData("run", "0")]
    [InlineData("run", "2147483647")]
    [InlineData("bench", "0")]
    [InlineData("quantize", "0")]
    [InlineData("serve", "0")]
    public void Command_ModelWithImpossibleLayerCount_OneLineErrorInsteadOfAbort(string command, string layers)
    {
        var dir = Directory.CreateTempSubdirectory("slingshot-cli-").FullName;
        var model = WithUInt32(CliRunner.Stories260K, Path.Combine(dir, "bad.gguf"), "llama.block_count", uint.Parse(layers, System.Globalization.CultureInfo.InvariantCulture));
        string[] args = command switch
        {
            "run" => ["run", "Once", "-m", model, "--max-tokens", "2"],
            "bench" => ["bench", "-m", model, "--reps", "1", "--samples", "1"],
            "quantize" => ["quantize", model, Path.Combine(dir, "out.gguf")],
            _ => ["serve", "-m", model, "--port", "0"],
        };

        // Before the managed check llama.cpp's GGML_ASSERT ended each of these with SIGABRT (exit 134).
        var result = CliRunner.Run(args, timeout: TimeSpan.FromMinutes(1));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"slingshot: Invalid model file '{model}': llama.block_count is {layers}; llama.cpp supports 1 to 512 layers", result.Stderr.Trim());
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>A copy of a GGUF file with one UInt32 metadata value patched in place (the file keeps its layout).</summary>
    private static string WithUInt32(string source, string destination, string key, uint value)
    {
        var bytes = File.ReadAllBytes(source);
        var encodedKey = new byte[8 + Encoding.UTF8.GetByteCount(key)];
        BinaryPrimitives.WriteUInt64LittleEndian(encodedKey, (ulong)(encodedKey.Length - 8));
        Encoding.UTF8.GetBytes(key, encodedKey.AsSpan(8));
        var at = bytes.AsSpan().IndexOf(encodedKey);
        Assert.True(at > 0, $"{key} not found in {source}");
        var typeAt = at + encodedKey.Length;
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(typeAt))); // GGUF UInt32
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(typeAt + 4), value);
        File.WriteAllBytes(destination, bytes);
        return destination;
    }
}

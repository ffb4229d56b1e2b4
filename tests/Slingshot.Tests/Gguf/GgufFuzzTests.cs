using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

/// <summary>
/// No byte content may make the reader or validator throw anything but InvalidModelFileException: these files
/// would otherwise reach llama.cpp, whose failed assertions kill the process.
/// </summary>
public sealed class GgufFuzzTests
{
    [Fact]
    public void Validate_EveryPrefixOfSmallModel_OnlyRejectsWithInvalidModelFile()
    {
        using var temp = new TempDirectory();
        byte[] bytes = GgufTestFiles.SmallValidModel();
        GgufFile full = GgufValidator.Validate(temp.Write("full.gguf", bytes));
        GgufTensorInfo last = full.Tensors[^1];
        long dataEnd = full.DataOffset + (long)(last.Offset + last.ByteSize);
        string path = temp.File("prefix.gguf");

        for (int length = 0; length < bytes.Length; length++)
        {
            bool accepted = ValidatesOrRejectsCleanly(path, bytes.AsSpan(0, length));
            // Only the alignment padding after the last tensor may be cut off.
            Assert.True(accepted == (length >= dataEnd), $"prefix of {length} bytes: accepted={accepted}");
        }
    }

    [Fact]
    public void Validate_PrefixesOfGeneratedModel_OnlyRejectWithInvalidModelFile()
    {
        using var temp = new TempDirectory();
        string model = temp.File("tiny.gguf");
        RandomModelWriter.Write(model, LlamaShape.Presets["tiny"]);
        byte[] bytes = File.ReadAllBytes(model);
        long dataOffset = GgufValidator.Validate(model).DataOffset;
        string path = temp.File("prefix.gguf");

        // Every length through the first kilobyte (header, hyperparameters, start of the token list), then
        // every 7th through the metadata and the first tensor, then a sample through the data: every length
        // of a 13 KB header would cost seconds, and the small-model test above covers each one.
        IEnumerable<int> lengths = Enumerable.Range(0, 1024)
            .Concat(Enumerable.Range(0, ((int)dataOffset + 256 - 1024) / 7).Select(i => 1024 + i * 7))
            .Concat(Enumerable.Range(0, 200).Select(i => (int)dataOffset + 256 + i * 797));
        foreach (int length in lengths.Where(length => length < bytes.Length))
        {
            Assert.False(ValidatesOrRejectsCleanly(path, bytes.AsSpan(0, length)), $"prefix of {length} bytes was accepted");
        }
    }

    [Fact]
    public void Validate_RandomBytes_OnlyRejectWithInvalidModelFile()
    {
        using var temp = new TempDirectory();
        string path = temp.File("random.gguf");
        var random = new Random(1234);
        byte[] header = GgufBytes.Header().ToArray()[..8];

        for (int i = 0; i < 400; i++)
        {
            var bytes = new byte[random.Next(0, 2048)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 8)
            {
                header.CopyTo(bytes, 0);   // get past the magic and version to reach the deeper checks
            }
            Assert.False(ValidatesOrRejectsCleanly(path, bytes), $"random file {i} was accepted");
        }
    }

    [Fact]
    public void Validate_MutatedSmallModel_OnlyRejectsWithInvalidModelFile()
    {
        using var temp = new TempDirectory();
        string path = temp.File("mutated.gguf");
        byte[] original = GgufTestFiles.SmallValidModel();
        var random = new Random(99);
        byte[] interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x09, 0x08, 0x40];

        for (int i = 0; i < 1500; i++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? interesting[random.Next(interesting.Length)] : (byte)random.Next(256);
            }
            ValidatesOrRejectsCleanly(path, bytes);
        }
    }

    /// <summary>True when the file validates, false when it is rejected with InvalidModelFileException.</summary>
    private static bool ValidatesOrRejectsCleanly(string path, ReadOnlySpan<byte> bytes)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            stream.Write(bytes);
        }
        try
        {
            GgufValidator.Validate(path);
            return true;
        }
        catch (InvalidModelFileException error)
        {
            Assert.DoesNotContain('\n', error.Message);
            return false;
        }
    }
}

using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class GgufValidatorTests
{
    private static readonly ulong[] s_vector = [8];

    [Fact]
    public void Validate_Stories260K_Accepts()
    {
        GgufFile file = GgufValidator.Validate(GgufTestFiles.Stories260K);

        Assert.Equal("llama", file.Architecture);
    }

    [Fact]
    public void Validate_SmallValidModel_Accepts()
    {
        using var temp = new TempDirectory();

        GgufFile file = GgufValidator.Validate(temp.Write("ok.gguf", GgufTestFiles.SmallValidModel()));

        Assert.Equal(2, file.Tensors.Count);
    }

    [Fact]
    public void Validate_MissingPath_SaysNotFound()
    {
        using var temp = new TempDirectory();
        string path = temp.File("absent.gguf");

        var error = Assert.Throws<InvalidModelFileException>(() => GgufValidator.Validate(path));

        Assert.Equal($"Invalid model file '{path}': file not found", error.Message);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Validate_Directory_SaysDirectory()
    {
        using var temp = new TempDirectory();

        AssertProblem(temp.Path, "is a directory, not a file");
    }

    public static TheoryData<string, byte[], string> MalformedFiles()
    {
        string tooManyDims = "tensor 't' has 5 dimensions; ggml supports at most 4";
        return new()
        {
            { "empty", [], "file is empty" },
            { "short header", GgufBytes.Header().ToArray()[..10], "file is 10 bytes, shorter than the 24-byte GGUF header" },
            { "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0], "not a GGUF file (starts with 0x89504E47)" },
            { "two bytes", [0x7B, 0x22], "not a GGUF file (starts with 0x7B22)" },
            { "version 1", GgufBytes.Header(version: 1).ToArray(), "unsupported GGUF version 1 (GGUF v1 is no longer supported by llama.cpp)" },
            { "version 4", GgufBytes.Header(version: 4).ToArray(), "unsupported GGUF version 4 (supported versions are 2 and 3)" },
            { "big-endian", GgufBytes.Header(version: 0x03000000).ToArray(), "unsupported GGUF version 50331648 (looks like a big-endian file, which is not supported)" },
            { "absurd counts", GgufBytes.Header(tensors: 1_000_000, metadata: 7).Zeros(100).ToArray(), "header claims 1000000 tensors and 7 metadata entries, more than a 124-byte file can hold" },
            { "negative count", GgufBytes.Header(metadata: -1).ToArray(), "header claims 0 tensors and -1 metadata entries, more than a 24-byte file can hold" },
            { "key past end", GgufBytes.Header(metadata: 1).UInt64(1000).Zeros(10).ToArray(), "truncated metadata: key of metadata entry 0 at offset 32 needs 1000 bytes, file has 42" },
            { "string past end", GgufBytes.Header(metadata: 1).String("k").Int32(8).UInt64(999).Zeros(4).ToArray(), "truncated metadata: value of 'k' at offset 45 needs 999 bytes, file has 49" },
            { "array past end", GgufBytes.Header(metadata: 1).String("k").Int32(9).Int32(4).UInt64(1_000_000).Zeros(8).ToArray(), "truncated metadata: 'k' (array of 1000000 UInt32) at offset 49 needs 4000000 bytes, file has 57" },
            { "string array past end", GgufBytes.Header(metadata: 1).String("k").Int32(9).Int32(8).UInt64(ulong.MaxValue / 4).Zeros(8).ToArray(), $"truncated metadata: 'k' (array of {ulong.MaxValue / 4} strings) at offset 49 needs {(UInt128)(ulong.MaxValue / 4) * 8} bytes, file has 57" },
            { "unknown value type", GgufBytes.Header(metadata: 1).String("k").Int32(42).Zeros(8).ToArray(), "metadata 'k' has unknown value type 42" },
            { "unknown element type", GgufBytes.Header(metadata: 1).String("k").Int32(9).Int32(13).UInt64(0).ToArray(), "metadata 'k' has unknown array element type 13" },
            { "array of arrays", GgufBytes.Header(metadata: 1).String("k").Int32(9).Int32(9).UInt64(0).ToArray(), "metadata 'k' is an array of arrays, which llama.cpp does not accept" },
            { "empty key", GgufBytes.Header(metadata: 1).String("").Int32(4).UInt32(1).ToArray(), "metadata entry 0 has an empty key" },
            { "duplicate key", GgufBytes.Header(metadata: 2).KvUInt32("k", 1).KvUInt32("k", 2).ToArray(), "duplicate metadata key 'k'" },
            { "alignment type", GgufBytes.Header(metadata: 1).KvString("general.alignment", "32").ToArray(), "general.alignment is String, expected UInt32" },
            { "alignment value", GgufBytes.Header(metadata: 1).KvUInt32("general.alignment", 48).ToArray(), "general.alignment is 48, not a power of two" },
            { "five dimensions", GgufBytes.Header(tensors: 1).Tensor("t", [1, 1, 1, 1, 1], 0, 0).Zeros(64).ToArray(), tooManyDims },
            { "removed ggml type", GgufBytes.Header(tensors: 1).Tensor("t", s_vector, 4, 0).Zeros(64).ToArray(), "tensor 't' has unknown ggml type 4" },
            { "unknown ggml type", GgufBytes.Header(tensors: 1).Tensor("t", s_vector, 99, 0).Zeros(64).ToArray(), "tensor 't' has unknown ggml type 99" },
            { "partial block", GgufBytes.Header(tensors: 1).Tensor("t", s_vector, (int)GgmlType.Q8_0, 0).Zeros(64).ToArray(), "tensor 't' has 8 elements per row, not a multiple of the q8_0 block size 32" },
            { "negative dimension", GgufBytes.Header(tensors: 1).Tensor("t", [ulong.MaxValue], 0, 0).Zeros(64).ToArray(), "tensor 't' dimension 0 is negative (-1)" },
            { "long name", GgufBytes.Header(tensors: 1).Tensor(new string('n', 64), s_vector, 0, 0).Zeros(64).ToArray(), $"tensor 0 name '{new string('n', 37)}...' is 64 bytes; ggml allows at most 63" },
            { "duplicate tensor", GgufBytes.Header(tensors: 2).Tensor("t", s_vector, 0, 0).Tensor("t", s_vector, 0, 32).Zeros(64).ToArray(), "duplicate tensor name 't'" },
            { "tensor data past end", ArchitectureHeader("llama", tensors: 1).Tensor("t", [1000], 0, 0).PadTo(32).Zeros(100).ToArray(), "truncated: tensor data needs 4128 bytes, file has 228" },
            { "tensor offset gap", ArchitectureHeader("llama", tensors: 2).Tensor("a", s_vector, 0, 0).Tensor("b", s_vector, 0, 64).PadTo(32).Zeros(128).ToArray(), "tensor 'b' has data offset 64, expected 32 (tensors must be stored in table order, each padded to 32 bytes)" },
            { "missing architecture", GgufBytes.Header(metadata: 1).KvUInt32("llama.block_count", 1).ToArray(), "missing general.architecture" },
            { "architecture not a string", GgufBytes.Header(metadata: 1).KvUInt32("general.architecture", 1).ToArray(), "general.architecture is UInt32, expected a string" },
            { "unsupported architecture", ArchitectureHeader("foo").ToArray(), "unsupported architecture 'foo'" },
            { "duplicate token", ArchitectureHeader("llama", metadata: 2).KvStringArray("tokenizer.ggml.tokens", "<s>", "a", "b", "a").ToArray(), "tokenizer.ggml.tokens has the token 'a' twice (ids 1 and 3)" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Validate_MalformedFile_ThrowsOneLineMessageNamingPathAndProblem(string name, byte[] bytes, string problem)
    {
        using var temp = new TempDirectory();
        string path = temp.Write(name + ".gguf", bytes);

        AssertProblem(path, problem);
    }

    [Fact]
    public void Validate_MalformedFiles_HaveDistinctMessages()
    {
        var problems = MalformedFiles().Select(row => (string)row[2]).ToList();

        Assert.Equal(problems.Count, problems.Distinct().Count());
    }

    [Fact]
    public void Validate_EveryKnownArchitecture_IsInTheSupportedSet()
    {
        Assert.Contains("llama", LlamaArchitectures.Supported);
        Assert.Contains("qwen2", LlamaArchitectures.Supported);
        Assert.Contains("gemma3", LlamaArchitectures.Supported);
        Assert.Contains("phi3", LlamaArchitectures.Supported);
        Assert.DoesNotContain("clip", LlamaArchitectures.Supported);
        Assert.DoesNotContain("(unknown)", LlamaArchitectures.Supported);
    }

    private static GgufBytes ArchitectureHeader(string architecture, long tensors = 0, long metadata = 1) =>
        GgufBytes.Header(tensors: tensors, metadata: metadata).KvString("general.architecture", architecture);

    private static void AssertProblem(string path, string problem)
    {
        var error = Assert.Throws<InvalidModelFileException>(() => GgufValidator.Validate(path));
        Assert.Equal(problem, error.Problem);
        Assert.Equal($"Invalid model file '{path}': {problem}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

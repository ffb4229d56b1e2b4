using Slingshot.Gguf;

namespace Slingshot.Tests.Gguf;

public sealed class GgmlTypeInfoTests
{
    [Theory]
    [InlineData(GgmlType.F32, 1, 4, "f32")]
    [InlineData(GgmlType.F16, 1, 2, "f16")]
    [InlineData(GgmlType.BF16, 1, 2, "bf16")]
    [InlineData(GgmlType.Q4_0, 32, 18, "q4_0")]
    [InlineData(GgmlType.Q8_0, 32, 34, "q8_0")]
    [InlineData(GgmlType.Q4_K, 256, 144, "q4_K")]
    [InlineData(GgmlType.Q6_K, 256, 210, "q6_K")]
    [InlineData(GgmlType.IQ4_NL, 32, 18, "iq4_nl")]
    [InlineData(GgmlType.TQ1_0, 256, 54, "tq1_0")]
    [InlineData(GgmlType.MXFP4, 32, 17, "mxfp4")]
    [InlineData(GgmlType.NVFP4, 64, 36, "nvfp4")]
    [InlineData(GgmlType.Q1_0, 128, 18, "q1_0")]
    [InlineData(GgmlType.Q2_0, 64, 18, "q2_0")]
    public void Traits_KnownType_MatchGgmlTypeTraits(GgmlType type, int blockSize, int blockBytes, string name)
    {
        Assert.Equal((blockSize, blockBytes, name), (GgmlTypeInfo.GetBlockSize(type), GgmlTypeInfo.GetBlockBytes(type), GgmlTypeInfo.GetName(type)));
    }

    [Fact]
    public void IsKnown_EveryEnumValueButNotRemovedOnes()
    {
        Assert.All(Enum.GetValues<GgmlType>(), type => Assert.True(GgmlTypeInfo.IsKnown(type)));
        Assert.Equal(35, Enum.GetValues<GgmlType>().Length);
        foreach (int removed in new[] { 4, 5, 31, 32, 33, 36, 37, 38, 43 })
        {
            Assert.False(GgmlTypeInfo.IsKnown((GgmlType)removed));
        }
    }

    [Fact]
    public void TryGetByteSize_PartialBlock_ReturnsNull()
    {
        Assert.Equal(34UL * 3, GgmlTypeInfo.TryGetByteSize(GgmlType.Q8_0, 96));
        Assert.Null(GgmlTypeInfo.TryGetByteSize(GgmlType.Q8_0, 100));
    }
}

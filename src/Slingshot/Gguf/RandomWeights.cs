using System.Buffers.Binary;

namespace Slingshot.Gguf;

/// <summary>
/// Fast deterministic pseudo-random weights: xoshiro256** (seeded through splitmix64) and an approximate
/// normal from the sum of four 16-bit uniforms (Irwin-Hall), one 64-bit draw per weight. Throughput matters
/// more than tail accuracy here: the weights only need a plausible scale, and a 100M-parameter model must be
/// written in seconds.
/// </summary>
internal struct RandomWeights
{
    // Sum of four uniforms on [0, 65535]: mean 4 * 32767.5, standard deviation sqrt(4 * (65536^2 - 1) / 12).
    private const float SumMean = 131070f;
    private const float InverseSumStdDev = 1f / 37837.23f;

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator for one stream (a tensor) of a seeded run; streams of one seed are independent.</summary>
    public RandomWeights(long seed, ulong stream)
    {
        ulong state = (ulong)seed ^ (stream * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>An approximately standard-normal sample (bounded to about +-3.46).</summary>
    public float NextGaussian()
    {
        ulong r = NextUInt64();
        uint sum = (uint)(r & 0xFFFF) + (uint)((r >> 16) & 0xFFFF) + (uint)((r >> 32) & 0xFFFF) + (uint)(r >> 48);
        return (sum - SumMean) * InverseSumStdDev;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with encoded weights of standard deviation <paramref name="stdDev"/>.
    /// Its length must be a whole number of blocks of <paramref name="type"/> (F32, F16 or Q8_0).
    /// </summary>
    public void Fill(Span<byte> destination, GgmlType type, float stdDev)
    {
        switch (type)
        {
            case GgmlType.F32:
                for (int i = 0; i < destination.Length; i += 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination[i..], NextGaussian() * stdDev);
                }
                break;
            case GgmlType.F16:
                for (int i = 0; i < destination.Length; i += 2)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(destination[i..], (Half)(NextGaussian() * stdDev));
                }
                break;
            case GgmlType.Q8_0:
                for (int i = 0; i < destination.Length; i += Q8BlockBytes)
                {
                    FillQ8Block(destination.Slice(i, Q8BlockBytes), stdDev);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Random weights are written as F32, F16 or Q8_0.");
        }
    }

    private const int Q8BlockSize = 32;
    private const int Q8BlockBytes = 2 + Q8BlockSize;

    /// <summary>One Q8_0 block as ggml's quantize_row_q8_0_ref writes it: fp16 scale amax/127, then 32 int8.</summary>
    private void FillQ8Block(Span<byte> block, float stdDev)
    {
        Span<float> values = stackalloc float[Q8BlockSize];
        float amax = 0;
        for (int j = 0; j < values.Length; j++)
        {
            values[j] = NextGaussian() * stdDev;
            amax = MathF.Max(amax, MathF.Abs(values[j]));
        }
        float scale = amax / 127f;
        float inverse = scale != 0 ? 1f / scale : 0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)scale);
        for (int j = 0; j < values.Length; j++)
        {
            block[2 + j] = (byte)(sbyte)MathF.Round(values[j] * inverse, MidpointRounding.AwayFromZero);
        }
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

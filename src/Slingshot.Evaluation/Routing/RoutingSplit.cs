using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Slingshot.Evaluation.Routing;

/// <summary>
/// A deterministic train / held-out split by a hash of the prompt (SHA-256 of seed and prompt text): the same prompt
/// always lands on the same side, on every machine, and duplicates of a prompt never straddle the split.
/// </summary>
public static class RoutingSplit
{
    /// <summary>Whether <paramref name="prompt"/> is held out for evaluation.</summary>
    public static bool IsHeldOut(string prompt, double heldOutFraction, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (heldOutFraction is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "The held-out fraction must be in [0, 1].");
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{prompt}"));
        var unit = BinaryPrimitives.ReadUInt64BigEndian(hash) / (double)ulong.MaxValue;
        return unit < heldOutFraction;
    }

    /// <summary>Splits <paramref name="examples"/> into the training part and the held-out part, each in input order.</summary>
    public static (IReadOnlyList<RoutingExample> Train, IReadOnlyList<RoutingExample> HeldOut) Split(
        IReadOnlyList<RoutingExample> examples, double heldOutFraction, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var train = new List<RoutingExample>();
        var heldOut = new List<RoutingExample>();
        foreach (var example in examples)
        {
            (IsHeldOut(example.Prompt, heldOutFraction, seed) ? heldOut : train).Add(example);
        }
        return (train, heldOut);
    }
}

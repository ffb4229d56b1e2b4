using System.Globalization;

namespace Slingshot.Evaluation.Runs;

/// <summary>
/// One of N deterministic shards of a task's problems: problem ordinal i belongs to shard i mod N, so N
/// machines can share a run and <c>slingshot store merge</c> joins their stores into the unsharded run.
/// </summary>
/// <param name="Index">This shard, 0-based.</param>
/// <param name="Count">Number of shards.</param>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>The whole task.</summary>
    public static ShardSpec All => new(0, 1);

    /// <summary>Whether the problem at <paramref name="ordinal"/> is in this shard.</summary>
    public bool Contains(int ordinal) => ordinal % Count == Index;

    /// <summary>Parses "i/N" (0 ≤ i &lt; N).</summary>
    /// <exception cref="FormatException">With a one-line message.</exception>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
        {
            return new ShardSpec(index, count);
        }
        throw new FormatException($"Shard '{text}' is not of the form i/N with 0 <= i < N (for example 0/4).");
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

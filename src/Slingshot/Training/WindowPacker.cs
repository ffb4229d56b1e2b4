namespace Slingshot.Training;

/// <summary>
/// Packs tokenized examples into training windows of <c>contextSize + 1</c> tokens (the inputs, and one more
/// token so that the labels are the inputs shifted by one). Examples are taken in order; a window starts at an
/// example's first token, and when the next example does not fit, the window's remaining positions hold that
/// example's beginning and the next window starts with it whole: no example is ever trained only in part and no
/// position is padding (llama.cpp would train on padding: it cannot mask positions). An example longer than a
/// window is split into window-sized pieces. The last window is completed with the first examples again.
/// </summary>
internal static class WindowPacker
{
    /// <summary>Splits examples longer than a window into pieces that fit (each piece of an example overlaps the
    /// previous one by one token, so every token is a label once).</summary>
    public static List<int[]> FitToWindow(IEnumerable<int[]> examples, int contextSize)
    {
        var window = contextSize + 1;
        var result = new List<int[]>();
        foreach (var example in examples)
        {
            if (example.Length <= window)
            {
                result.Add(example);
                continue;
            }
            for (var start = 0; start < example.Length - 1; start += contextSize)
            {
                result.Add(example[start..Math.Min(example.Length, start + window)]);
            }
        }
        return result;
    }

    /// <summary>The number of windows <see cref="Pack"/> makes of examples of these lengths in this order.</summary>
    public static int CountWindows(IReadOnlyList<int> lengths, IReadOnlyList<int> order, int contextSize)
    {
        var window = contextSize + 1;
        var count = 0;
        var used = 0;
        foreach (var index in order)
        {
            var length = lengths[index];
            if (used > 0 && used + length > window)
            {
                count++;
                used = 0;
            }
            used += length;
        }
        return used > 0 ? count + 1 : count;
    }

    /// <summary>Packs <paramref name="examples"/> (each at most a window long) in <paramref name="order"/>.</summary>
    /// <exception cref="ArgumentException">All examples together hold fewer tokens than one window.</exception>
    public static List<int[]> Pack(IReadOnlyList<int[]> examples, IReadOnlyList<int> order, int contextSize)
    {
        var window = contextSize + 1;
        long total = order.Sum(i => (long)examples[i].Length);
        if (total < window)
        {
            throw new ArgumentException(
                $"The data holds {total} tokens, fewer than one training window of {window} (context {contextSize} + 1); add data or lower the context size.");
        }
        var windows = new List<int[]>();
        var current = new List<int>(window);
        foreach (var index in order)
        {
            var example = examples[index];
            if (current.Count > 0 && current.Count + example.Length > window)
            {
                // The tail holds this example's beginning; the next window starts with the whole example.
                current.AddRange(example.AsSpan(0, window - current.Count));
                windows.Add([.. current]);
                current.Clear();
            }
            current.AddRange(example);
        }
        if (current.Count > 0)
        {
            // Complete the last window with the first examples again (never with padding).
            for (var k = 0; current.Count < window; k = (k + 1) % order.Count)
            {
                var example = examples[order[k]];
                current.AddRange(example.AsSpan(0, Math.Min(example.Length, window - current.Count)));
            }
            windows.Add([.. current]);
        }
        return windows;
    }
}

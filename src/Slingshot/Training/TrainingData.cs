namespace Slingshot.Training;

/// <summary>
/// The tokenized examples of a run, split into training and validation, and the packing of every epoch: the
/// training examples are shuffled with a seed that depends only on the run's seed and the epoch, so the order of
/// epoch e is the same in an uninterrupted run and in one resumed from a checkpoint.
/// </summary>
internal sealed class TrainingData
{
    private readonly List<int[]> _train;
    private readonly int _contextSize;
    private readonly long _seed;

    private TrainingData(List<int[]> train, List<int[]> validation, int validationExamples, int contextSize, long seed)
    {
        _train = train;
        _contextSize = contextSize;
        _seed = seed;
        ValidationExampleCount = validationExamples;
        ValidationWindows = validation.Count == 0 ? [] : WindowPacker.Pack(validation, Enumerable.Range(0, validation.Count).ToList(), contextSize);
        TrainTokens = train.Sum(e => (long)e.Length);
        if (TrainTokens < contextSize + 1)
        {
            throw new ArgumentException(
                $"The training data holds {TrainTokens} tokens, fewer than one window of {contextSize + 1} (context {contextSize} + 1); add data or lower the context size.");
        }
    }

    public int TrainExampleCount => _train.Count;

    public int ValidationExampleCount { get; }

    public long TrainTokens { get; }

    public IReadOnlyList<int[]> ValidationWindows { get; }

    /// <summary>Reads, tokenizes and splits the data. Validation comes from <paramref name="validationSource"/>, or
    /// is <paramref name="fraction"/> of the examples chosen with <paramref name="seed"/>.</summary>
    public static TrainingData Load(ITrainingExampleSource source, ITrainingExampleSource? validationSource, double fraction,
        ExampleTokenizer tokenizer, int contextSize, long seed, CancellationToken cancellationToken)
    {
        var examples = Tokenize(source, tokenizer, cancellationToken);
        if (examples.Count == 0)
        {
            throw new ArgumentException($"'{source.Description}' holds no training examples.");
        }
        List<int[]> train, validation;
        int validationCount;
        if (validationSource is not null)
        {
            train = examples;
            validation = Tokenize(validationSource, tokenizer, cancellationToken);
            if (validation.Count == 0)
            {
                throw new ArgumentException($"'{validationSource.Description}' holds no validation examples.");
            }
            validationCount = validation.Count;
        }
        else
        {
            validationCount = fraction > 0 && examples.Count >= 2 ? Math.Max(1, (int)Math.Round(examples.Count * fraction)) : 0;
            var order = Permutation(examples.Count, seed, -1);
            var held = order.Take(validationCount).Order().ToList();
            var heldSet = held.ToHashSet();
            validation = held.Select(i => examples[i]).ToList();
            train = Enumerable.Range(0, examples.Count).Where(i => !heldSet.Contains(i)).Select(i => examples[i]).ToList();
        }
        train = WindowPacker.FitToWindow(train, contextSize);
        validation = WindowPacker.FitToWindow(validation, contextSize);
        // A validation set shorter than one window is repeated to fill it.
        var validationTokens = validation.Sum(e => (long)e.Length);
        if (validation.Count > 0 && validationTokens < contextSize + 1)
        {
            var copies = (int)((contextSize + 1 + validationTokens - 1) / validationTokens);
            validation = Enumerable.Repeat(validation, copies).SelectMany(v => v).ToList();
        }
        return new TrainingData(train, validation, validationCount, contextSize, seed);
    }

    /// <summary>The order of the training examples in <paramref name="epoch"/>.</summary>
    public List<int> Order(int epoch) => Permutation(_train.Count, _seed, epoch);

    /// <summary>Windows (optimizer steps) of <paramref name="epoch"/>.</summary>
    public int WindowCount(int epoch) => WindowPacker.CountWindows(_train.Select(e => e.Length).ToList(), Order(epoch), _contextSize);

    /// <summary>The packed windows of <paramref name="epoch"/>.</summary>
    public List<int[]> Windows(int epoch) => WindowPacker.Pack(_train, Order(epoch), _contextSize);

    private static List<int[]> Tokenize(ITrainingExampleSource source, ExampleTokenizer tokenizer, CancellationToken cancellationToken)
    {
        var result = new List<int[]>();
        foreach (var example in source.ReadExamples())
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(tokenizer.Tokenize(example));
        }
        return result;
    }

    /// <summary>A Fisher-Yates permutation from a SplitMix64 stream seeded by (seed, salt): stable across .NET versions.</summary>
    internal static List<int> Permutation(int count, long seed, long salt)
    {
        var order = Enumerable.Range(0, count).ToList();
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)salt * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        for (var i = count - 1; i > 0; i--)
        {
            state = unchecked(state + 0x9E3779B97F4A7C15UL);
            var z = state;
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            var j = (int)(z % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}

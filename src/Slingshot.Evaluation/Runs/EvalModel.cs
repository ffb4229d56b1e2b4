namespace Slingshot.Evaluation.Runs;

/// <summary>
/// The model an evaluation draws from: a sample source (its <see cref="ISampleSource.Info"/> gives the model id,
/// parameters for FLOPs, samples per call and price) and what only the harness decides.
/// </summary>
public sealed record EvalModel
{
    /// <summary>A source for calls that draw more samples than <see cref="SampleSourceInfo.MaxSamplesPerCall"/> leaves unbounded.</summary>
    public const int DefaultSamplesPerCall = 64;

    /// <summary>Draws n samples of a prompt (the local engine forks one decoded prompt; remote endpoints send n or call in parallel).</summary>
    public required ISampleSource Source { get; init; }

    /// <summary>Model id recorded with the run: the source's.</summary>
    public string ModelId => Source.Info.ModelId;

    /// <summary>What produced the samples beyond <see cref="ModelId"/> (see <see cref="ModelFingerprint"/>); part of the run's identity.</summary>
    public string? Fingerprint { get; init; }

    /// <summary>
    /// Most samples one call asks for: the source's own limit (the engine's parallel sequences), or
    /// <see cref="DefaultSamplesPerCall"/> for a source without one, since a call's samples are committed together and a
    /// smaller call loses less to an interruption.
    /// </summary>
    public int MaxSamplesPerCall => Source.Info.MaxSamplesPerCall ?? DefaultSamplesPerCall;

    /// <summary>Calls in flight at once; the local engine batches them into one decode loop.</summary>
    public int MaxConcurrentCalls { get; init; } = 2;

    /// <summary>Price of a call's tokens (the source's price; free when it has none).</summary>
    public TokenPrice Price => Source.Info.Price ?? TokenPrice.Free;
}

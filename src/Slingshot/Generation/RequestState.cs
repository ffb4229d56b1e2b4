using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Slingshot.Generation.Prefixes;
using Slingshot.Native.Handles;

namespace Slingshot.Generation;

/// <summary>One request inside the decode loop: its prompt, its sequences and its output stream.</summary>
internal sealed class RequestState
{
    private int _cancelRequested;

    public RequestState(GenerationRequest request, int[] prompt, int maxTokens, uint baseSeed, SafeLlamaSamplerHandle[] samplers, int reservedCells)
    {
        Request = request;
        Samplers = samplers;
        Prompt = prompt;
        MaxTokens = maxTokens;
        BaseSeed = baseSeed;
        ReservedCells = reservedCells;
        SubmittedAt = Stopwatch.GetTimestamp();
    }

    public GenerationRequest Request { get; }
    public int[] Prompt { get; }
    public int MaxTokens { get; }
    public uint BaseSeed { get; }
    /// <summary>KV cells reserved for the request: its worst case, then (once admitted) less what it reuses from the prefix cache.</summary>
    public int ReservedCells { get; set; }

    /// <summary>The cached prefix the request reuses, from its admission on.</summary>
    public PrefixLease? Prefix { get; set; }
    public int SampleCount => Request.SampleCount;

    /// <summary>One sampler chain per sample, built on the caller's thread so a bad grammar fails there.</summary>
    public SafeLlamaSamplerHandle[] Samplers { get; }

    /// <summary>Written only by the loop thread; read by the caller.</summary>
    public Channel<GenerationUpdate> Output { get; } =
        Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public SequenceState[] Sequences { get; set; } = [];

    /// <summary>Whether the caller wants an update per token, or only the ends of samples.</summary>
    public bool StreamTokens { get; set; } = true;

    /// <summary>Next prompt token to feed; equals Prompt.Length once the prompt is in the KV cache.</summary>
    public int PrefillCursor { get; set; }

    /// <summary>Batch index of the last prompt token's logits in the current batch, or -1.</summary>
    public int PrefillLogitsIndex { get; set; } = -1;

    public bool IsPrefilling => PrefillCursor < Prompt.Length;

    /// <summary>
    /// The tokens whose KV cells <paramref name="sequence"/> holds, from position 0: what the prefix cache can keep
    /// when it ends. The prompt as far as it was decoded, and after it, for a single sample, its decoded tokens (a
    /// chat's next turn begins with them). Forked samples keep the prompt only: their continuations differ and are
    /// rarely asked for again.
    /// </summary>
    public int[] TokensInCells(SequenceState sequence)
    {
        if (IsPrefilling)
        {
            return sequence.Index == 0 ? Prompt[..PrefillCursor] : [];
        }
        // The last sampled token of a sequence is never decoded: NextPosition counts the ones that were.
        var decoded = SampleCount == 1 ? sequence.NextPosition - Prompt.Length : 0;
        return decoded <= 0 ? Prompt : [.. Prompt, .. sequence.Tokens.GetRange(0, decoded)];
    }

    /// <summary>Read the distribution after the prompt instead of sampling: the request ends once its prompt is decoded.</summary>
    public bool CaptureNextTokenLogits { get; set; }

    /// <summary>The raw logits after the prompt, when <see cref="CaptureNextTokenLogits"/> is set; written by the loop.</summary>
    public float[]? NextTokenLogits { get; set; }

    public long SubmittedAt { get; }
    public long AdmittedAt { get; set; }
    public long PrefillDoneAt { get; set; }
    public long FirstTokenAt { get; set; }

    /// <summary>This request's timings so far (see <see cref="GenerationTimings.Measure"/>).</summary>
    public GenerationTimings MeasureTimings(long tokensAfterFirst) =>
        GenerationTimings.Measure(SubmittedAt, AdmittedAt, PrefillDoneAt, FirstTokenAt,
            Prompt.Length - (Prefix?.Length ?? 0), tokensAfterFirst); // a reused prefix is not prefilled

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) != 0;

    public void RequestCancel() => Interlocked.Exchange(ref _cancelRequested, 1);
}

/// <summary>One sample's sequence: its KV sequence id, sampler, tokens and text so far.</summary>
internal sealed class SequenceState(int index, int sequenceId, uint seed, SafeLlamaSamplerHandle sampler,
    SampleTextAssembler output, bool wantLogprobs)
{
    public int Index { get; } = index;
    public int SequenceId { get; } = sequenceId;
    public uint Seed { get; } = seed;
    public SafeLlamaSamplerHandle Sampler { get; } = sampler;
    public SampleTextAssembler Output { get; } = output;
    public List<int> Tokens { get; } = [];

    /// <summary>Every token generated, including those a stop sequence cut from <see cref="Tokens"/>: the usage.</summary>
    public int GeneratedTokens { get; set; }
    public StringBuilder Text { get; } = new();
    public List<TokenLogprob>? Logprobs { get; } = wantLogprobs ? [] : null;

    /// <summary>Position of the next token fed to the model.</summary>
    public int NextPosition { get; set; }

    /// <summary>Token sampled but not yet decoded, or null.</summary>
    public int? PendingToken { get; set; }

    /// <summary>Batch index of this sequence's logits in the current batch, or -1.</summary>
    public int LogitsIndex { get; set; } = -1;

    public FinishReason? Finished { get; set; }

    /// <summary>Drops the tokens (and their log-probabilities) a stop sequence cut from the text.</summary>
    public void KeepShownTokens()
    {
        var shown = Output.ShownTokens;
        if (shown < Tokens.Count)
        {
            Tokens.RemoveRange(shown, Tokens.Count - shown);
            Logprobs?.RemoveRange(shown, Logprobs.Count - shown);
        }
    }

    public Sample ToSample(int promptTokens) => new()
    {
        Usage = new TokenUsage(promptTokens, GeneratedTokens),
        Index = Index,
        Text = Text.ToString(),
        Tokens = Tokens.ToArray(),
        Logprobs = Logprobs?.ToArray(),
        FinishReason = Finished ?? FinishReason.Cancelled,
        Seed = Seed,
    };
}

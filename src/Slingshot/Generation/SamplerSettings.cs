namespace Slingshot;

/// <summary>
/// How the next token is chosen. Temperature 0 is greedy decoding. The chain applied is llama.cpp's usual
/// one: [grammar] → penalties → top-k → top-p → min-p → temperature → random draw with the seed.
/// </summary>
public sealed record SamplerSettings
{
    /// <summary>Greedy decoding: always the most likely token.</summary>
    public static SamplerSettings Greedy { get; } = new() { Temperature = 0 };

    /// <summary>Softmax temperature; 0 means greedy.</summary>
    public float Temperature { get; init; } = 0.8f;

    /// <summary>Keep only the k most likely tokens (0 = off).</summary>
    public int TopK { get; init; } = 40;

    /// <summary>Nucleus sampling: keep the smallest set whose probability reaches p (1 = off).</summary>
    public float TopP { get; init; } = 0.95f;

    /// <summary>Drop tokens less likely than min-p times the most likely one (0 = off).</summary>
    public float MinP { get; init; } = 0.05f;

    /// <summary>Divide the logit of recently seen tokens by this (1 = off).</summary>
    public float RepeatPenalty { get; init; } = 1.0f;

    /// <summary>Subtract this times a token's count so far (0 = off; OpenAI's frequency_penalty).</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Subtract this from every token seen so far (0 = off; OpenAI's presence_penalty).</summary>
    public float PresencePenalty { get; init; }

    /// <summary>How many recent tokens the penalties look at (-1 = the whole context).</summary>
    public int PenaltyLastN { get; init; } = 64;

    /// <summary>Seed of the random draw; null picks one at random. Sample i of a request uses seed + i
    /// (modulo 2^32 - 1: llama.cpp reserves 0xFFFFFFFF for "random", which would not reproduce).</summary>
    public uint? Seed { get; init; }

    /// <summary>A GBNF grammar that constrains the output (see <see cref="Grammars"/>), or null.</summary>
    public string? Grammar { get; init; }

    /// <summary>When set, <see cref="Grammar"/> applies only once one of these triggers appears (a lazy grammar, as
    /// llama-server uses for tool calls the model may or may not make); null applies it from the first token.</summary>
    public GrammarTriggers? GrammarTriggers { get; init; }

    /// <summary>Tokens the grammar reads before the first sampled one: a chat format's tool-call grammar starts with the
    /// text the prompt already ends with (its generation prompt), as llama-server feeds it; null for none.</summary>
    public IReadOnlyList<int>? GrammarPrefill { get; init; }

    /// <summary>The seed of sample <paramref name="index"/> of a request whose base seed is <paramref name="seed"/>.</summary>
    public static uint SampleSeed(uint seed, int index) => (uint)(((ulong)seed + (ulong)index) % uint.MaxValue);

    /// <summary>Whether this is greedy decoding.</summary>
    public bool IsGreedy => Temperature <= 0;

    /// <summary>Greedy with nothing before the argmax (no grammar, no penalties): the chain reduces to the most likely token.</summary>
    internal bool IsPlainArgmax => IsGreedy && !HasGrammarOrPenalties;

    /// <summary>
    /// When the chain's first step is top-k (sampling, no grammar, no penalties, k small), that k: the candidates can
    /// be cut to the k best before the chain sees them. 0 otherwise.
    /// </summary>
    internal int PreselectTopK => !IsGreedy && !HasGrammarOrPenalties && TopK is > 0 and <= Generation.TopKSelection.MaxK ? TopK : 0;

    /// <summary>Whether any repetition penalty is on (the chain then depends on the tokens so far).</summary>
    internal bool HasPenalties => RepeatPenalty != 1 || FrequencyPenalty != 0 || PresencePenalty != 0;

    /// <summary>Whether the chain starts with a grammar or penalties: steps that need the whole vocabulary and the history.</summary>
    internal bool HasGrammarOrPenalties => !string.IsNullOrEmpty(Grammar) || HasPenalties;

    /// <summary>Throws a one-line <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        Check(float.IsFinite(Temperature) && Temperature >= 0, $"temperature must be >= 0 (got {Temperature})");
        Check(TopK >= 0, $"top-k must be >= 0 (got {TopK})");
        Check(float.IsFinite(TopP) && TopP > 0 && TopP <= 1, $"top-p must be in (0, 1] (got {TopP})");
        Check(float.IsFinite(MinP) && MinP >= 0 && MinP <= 1, $"min-p must be in [0, 1] (got {MinP})");
        Check(float.IsFinite(RepeatPenalty) && RepeatPenalty > 0, $"repeat penalty must be > 0 (got {RepeatPenalty})");
        Check(float.IsFinite(FrequencyPenalty) && Math.Abs(FrequencyPenalty) <= 2, $"frequency penalty must be in [-2, 2] (got {FrequencyPenalty})");
        Check(float.IsFinite(PresencePenalty) && Math.Abs(PresencePenalty) <= 2, $"presence penalty must be in [-2, 2] (got {PresencePenalty})");
        Check(PenaltyLastN >= -1, $"penalty window must be >= -1 (got {PenaltyLastN})");
        Check(Seed != uint.MaxValue, $"seed {uint.MaxValue} is reserved by llama.cpp for a random seed");
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"Invalid sampling setting: {message}.");
        }
    }
}

using Slingshot.Strategies.Verification;

namespace Slingshot.Strategies.Judging;

/// <summary>
/// A small model as a verifier: it is asked a yes/no question about the candidate (is it correct, grounded,
/// safe) and the score is read from its next-token distribution, not from sampled text:
/// <c>P(yes) = Σ p(yes tokens) / (Σ p(yes tokens) + Σ p(no tokens))</c> at the first answer position. The
/// verdict carries it as <see cref="Verdict.Score"/> and passes when it reaches the threshold. Thread-safe:
/// concurrent checks are decoded together by the engine.
/// </summary>
public sealed class JudgeVerifier : IVerifier
{
    private readonly LlamaEngine _engine;
    private readonly int[] _answerTokens;
    private readonly int _yesCount;
    private readonly bool _chat;

    /// <summary>Creates a judge over <paramref name="engine"/> (not owned).</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the vocabulary has no single token for a yes or a no word.</exception>
    public JudgeVerifier(LlamaEngine engine, JudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        options ??= new JudgeOptions();
        options.Validate();
        _engine = engine;
        Options = options;
        var vocabulary = engine.Model.Vocabulary;
        YesTokens = AnswerTokens(vocabulary, options.YesWords);
        NoTokens = AnswerTokens(vocabulary, options.NoWords);
        var model = Path.GetFileName(engine.Model.Path);
        if (YesTokens.Count == 0 || NoTokens.Count == 0)
        {
            var missing = YesTokens.Count == 0 ? string.Join("/", options.YesWords) : string.Join("/", options.NoWords);
            throw new ArgumentException($"The judge model '{model}' has no single token for '{missing}'; choose other answer words or another model.");
        }
        _answerTokens = [.. YesTokens, .. NoTokens];
        _yesCount = YesTokens.Count;
        _chat = options.PromptFormat switch
        {
            JudgePromptFormat.Chat => true,
            JudgePromptFormat.Raw => false,
            _ => options.ChatTemplate is not null || engine.Model.Info.ChatTemplate is not null,
        };
        Name = $"judge-{options.Template.Name}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The options it runs with.</summary>
    public JudgeOptions Options { get; }

    /// <summary>Token ids counted as yes.</summary>
    public IReadOnlyList<int> YesTokens { get; }

    /// <summary>Token ids counted as no.</summary>
    public IReadOnlyList<int> NoTokens { get; }

    /// <inheritdoc />
    public async ValueTask<Verdict> VerifyAsync(string text, VerificationContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        var score = await ScoreAsync(context.Question, text, context.Reference, cancellationToken).ConfigureAwait(false);
        var passed = score.PYes >= Options.Threshold;
        var reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"P(yes) = {score.PYes:F3} {(passed ? ">=" : "<")} {Options.Threshold:0.###} (yes and no hold {score.AnswerMass:P1} of the next token)");
        return new Verdict(passed, reason) { Score = score.PYes };
    }

    /// <summary>Asks the question about <paramref name="candidate"/> and reads P(yes) from the model's next-token distribution.</summary>
    public async Task<JudgeScore> ScoreAsync(string? question, string candidate, string? reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var request = new GenerationRequest { Prompt = BuildPrompt(question, candidate, reference) };
        var logprobs = await _engine.ScoreNextTokensAsync(request, _answerTokens, cancellationToken).ConfigureAwait(false);
        return FromLogprobs(logprobs.AsSpan(0, _yesCount), logprobs.AsSpan(_yesCount));
    }

    /// <summary>The exact prompt the model reads for these values (its next token is the answer).</summary>
    public string BuildPrompt(string? question, string candidate, string? reference)
    {
        var filled = Options.Template.Fill(question, candidate, reference);
        return _chat
            ? ChatTemplate.Apply(_engine.Model, [new ChatTurn("user", filled)], addAssistantPrefix: true, Options.ChatTemplate)
            : filled;
    }

    /// <summary>P(yes) from the log-probabilities of the yes tokens and of the no tokens, computed stably in log space.</summary>
    public static JudgeScore FromLogprobs(ReadOnlySpan<float> yesLogprobs, ReadOnlySpan<float> noLogprobs)
    {
        var logYes = Generation.LogSoftmax.LogSumExp(yesLogprobs);
        var logNo = Generation.LogSoftmax.LogSumExp(noLogprobs);
        // Neither answer has any probability: no evidence either way.
        var pYes = double.IsNegativeInfinity(logYes) && double.IsNegativeInfinity(logNo)
            ? 0.5
            : 1 / (1 + Math.Exp(logNo - logYes));
        return new JudgeScore(pYes, Math.Exp(logYes), Math.Exp(logNo));
    }

    /// <summary>Every token whose rendered text, trimmed of spaces, is one of <paramref name="words"/> in any letter case.</summary>
    private static int[] AnswerTokens(Vocabulary vocabulary, IReadOnlyList<string> words)
    {
        var wanted = new HashSet<string>(words.Select(w => w.Trim()), StringComparer.OrdinalIgnoreCase);
        var tokens = new List<int>();
        for (var token = 0; token < vocabulary.Count; token++)
        {
            if (vocabulary.IsControl(token))
            {
                continue;
            }
            if (wanted.Contains(System.Text.Encoding.UTF8.GetString(vocabulary.TokenBytes(token)).Trim()))
            {
                tokens.Add(token);
            }
        }
        return [.. tokens];
    }
}

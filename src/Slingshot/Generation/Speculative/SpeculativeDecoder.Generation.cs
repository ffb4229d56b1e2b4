using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Slingshot.Generation.Speculative;

// One request: prefill, then draft / verify / accept / roll back until the sample ends.
internal sealed partial class SpeculativeDecoder
{
    private readonly TokenDistribution?[] _targetDistributions;
    private readonly TokenDistribution?[] _draftDistributions;
    private readonly int[] _drafted;
    private readonly int[] _pass = new int[65];

    private void Generate(RequestState request, SpeculativeOutput output, Counters counters)
    {
        var sampling = request.Request.Sampling;
        var greedy = sampling.IsGreedy;
        var random = new Random(unchecked((int)request.BaseSeed));
        _targetContext.Clear();
        _draftContext?.Clear();

        _targetContext.Append(request.Prompt, allLogits: false);
        request.PrefillDoneAt = Stopwatch.GetTimestamp();
        var prefillLogits = _targetContext.Logits(_targetContext.LastPassTokens - 1);
        var first = greedy ? TokenDistribution.Argmax(prefillLogits) : Distribution(0, prefillLogits, sampling).Sample(random);
        request.FirstTokenAt = Stopwatch.GetTimestamp();

        var history = new List<int>(request.Prompt.Length + request.MaxTokens + 1);
        history.AddRange(request.Prompt);
        history.Add(first);
        var draftLength = _options.DraftMax;
        var running = output.Accept(first);
        var draftUsable = true;
        while (running && !_stopping && !request.CancelRequested)
        {
            // The cache holds all of history but its last token, which this pass feeds together with the draft.
            var cached = _targetContext.Length;
            var room = Math.Min(draftLength, Math.Min(request.MaxTokens - output.Tokens.Count - 1, _targetContext.Capacity - history.Count));
            var fromLookup = false;
            var drafted = 0;
            if (room > 0 && _options.PromptLookup)
            {
                drafted = PromptLookup.Propose(CollectionsMarshal.AsSpan(history), _options.LookupMaxNgram, _drafted.AsSpan(0, room));
                fromLookup = drafted > 0;
            }
            if (room > 0 && drafted == 0 && _draftContext is not null && draftUsable)
            {
                drafted = DraftWithModel(history, room, sampling, random, counters, out draftUsable);
            }

            _pass[0] = history[^1];
            _drafted.AsSpan(0, drafted).CopyTo(_pass.AsSpan(1));
            _targetContext.Append(_pass.AsSpan(0, drafted + 1), allLogits: true);
            counters.TargetPasses++;
            var draftedSpan = _drafted.AsSpan(0, drafted);
            var verdict = greedy
                ? SpeculativeAcceptance.Greedy(draftedSpan, i => TokenDistribution.Argmax(_targetContext.Logits(i)))
                : SpeculativeAcceptance.Sample(draftedSpan, i => Distribution(i, _targetContext.Logits(i), sampling),
                    i => fromLookup ? null : _draftDistributions[i], random);
            counters.Drafted += drafted;
            counters.Accepted += verdict.Accepted;

            // Roll back the cells of rejected draft tokens; the draft keeps what it shares with the new history.
            var kept = cached + 1 + verdict.Accepted;
            _targetContext.TruncateTo(kept);
            _draftContext?.TruncateTo(Math.Min(_draftContext.Length, kept));

            for (var i = 0; i < verdict.Accepted && running; i++)
            {
                history.Add(_drafted[i]);
                running = output.Accept(_drafted[i]);
            }
            if (running)
            {
                history.Add(verdict.Next);
                running = output.Accept(verdict.Next);
            }
            if (_options.AdaptiveDraftLength && drafted > 0)
            {
                draftLength = AdaptedDraftLength(counters.Accepted, counters.Drafted, _options.DraftMax);
            }
        }
    }

    /// <summary>
    /// Drafts up to <paramref name="room"/> tokens with the draft model, after feeding it the history it has not
    /// seen (the target's last correction, or the last draft token it accepted). Stops after an end-of-generation
    /// token, and before a token the target's vocabulary lacks. <paramref name="usable"/> turns false for the rest
    /// of the request when the history holds a token the draft's vocabulary lacks.
    /// </summary>
    private int DraftWithModel(List<int> history, int room, SamplerSettings sampling, Random random, Counters counters, out bool usable)
    {
        var draft = _draftContext!;
        var draftVocabulary = _options.DraftModel!.Vocabulary;
        var unseen = CollectionsMarshal.AsSpan(history)[draft.Length..];
        foreach (var token in unseen)
        {
            if (token >= draftVocabulary.Count)
            {
                usable = false;
                return 0;
            }
        }
        usable = true;
        counters.DraftPasses += draft.Append(unseen, allLogits: false);
        var targetSize = _target.Vocabulary.Count;
        for (var i = 0; i < room; i++)
        {
            var logits = draft.Logits(draft.LastPassTokens - 1);
            int token;
            if (sampling.IsGreedy)
            {
                token = TokenDistribution.Argmax(logits);
            }
            else
            {
                var q = _draftDistributions[i] ??= new TokenDistribution(draftVocabulary.Count);
                q.Compute(logits, sampling);
                token = q.Sample(random);
            }
            if (token >= targetSize)
            {
                return i;
            }
            _drafted[i] = token;
            if (i == room - 1 || draftVocabulary.IsEndOfGeneration(token))
            {
                return i + 1;
            }
            draft.Append([token], allLogits: false);
            counters.DraftPasses++;
        }
        return room;
    }

    /// <summary>
    /// The longest draft whose tokens all stand with probability at least 10%, from the request's acceptance rate so
    /// far (smoothed, so one early rejection does not collapse it): tokens further out would rarely be reached.
    /// A draft token stands with probability about a, so a whole draft of k with a^k.
    /// </summary>
    internal static int AdaptedDraftLength(int accepted, int drafted, int draftMax)
    {
        var rate = (accepted + 1.0) / (drafted + 2.0);
        var length = Math.Ceiling(Math.Log(0.1) / Math.Log(rate));
        return (int)Math.Clamp(length, 1, draftMax);
    }

    private TokenDistribution Distribution(int index, ReadOnlySpan<float> logits, SamplerSettings sampling)
    {
        var distribution = _targetDistributions[index] ??= new TokenDistribution(_target.Vocabulary.Count);
        distribution.Compute(logits, sampling);
        return distribution;
    }
}

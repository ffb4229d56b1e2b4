using Slingshot.Native.Interop;

namespace Slingshot.Generation;

// Reading the next-token distribution after a prompt without sampling: what judges and logit arithmetic need.
internal sealed partial class DecodeLoop
{
    /// <summary>
    /// Copies the logits after the request's prompt and ends its sequences without drawing a token, so the
    /// caller sees the model's exact distribution rather than one sample of it.
    /// </summary>
    private unsafe void CaptureNextTokenLogits(RequestState request)
    {
        var count = _model.Vocabulary.Count;
        var logits = LlamaNative.llama_get_logits_ith(_context, request.PrefillLogitsIndex);
        if (logits == null)
        {
            throw new SlingshotException("llama.cpp returned no logits for a prompt that asked for them.");
        }
        request.NextTokenLogits = new ReadOnlySpan<float>(logits, count).ToArray();
        request.FirstTokenAt = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var sequence in request.Sequences)
        {
            Finish(request, sequence, FinishReason.Length, string.Empty);
        }
    }
}

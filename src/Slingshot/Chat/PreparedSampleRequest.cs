namespace Slingshot;

/// <summary>
/// A <see cref="SampleRequest"/> whose conversation <see cref="LlamaChatClient"/> has already rendered with the model's
/// chat template (tools, grammar, stops and reply parser included), for a caller that both samples the request and
/// reads its replies, such as the OpenAI-compatible server: rendering is the costliest part of request setup, and
/// doing it once keeps the prompt the engine decodes and the parser of its replies from the same rendering. Got from
/// <see cref="LlamaChatClient.Prepare"/>; sampled with <see cref="LlamaChatClient.SampleAsync(PreparedSampleRequest, CancellationToken)"/>
/// or <see cref="LlamaChatClient.StreamAsync(PreparedSampleRequest, CancellationToken)"/> of the same client.
/// </summary>
public sealed class PreparedSampleRequest
{
    internal PreparedSampleRequest(LlamaChatClient owner, SampleRequest request, GenerationRequest generation, ChatReplyReader replies)
    {
        Owner = owner;
        Request = request;
        Generation = generation;
        Replies = replies;
    }

    /// <summary>The request as it was given.</summary>
    public SampleRequest Request { get; }

    /// <summary>Splits each reply (whole or streamed) into text, reasoning and tool calls as the template formats them;
    /// for a raw prompt, or a template whose replies have no structure, a reply is its text.</summary>
    public ChatReplyReader Replies { get; }

    /// <summary>The client that rendered it; only that client samples it.</summary>
    internal LlamaChatClient Owner { get; }

    /// <summary>What the engine generates.</summary>
    internal GenerationRequest Generation { get; }
}

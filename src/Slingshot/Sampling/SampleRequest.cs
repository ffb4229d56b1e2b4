using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>
/// What to sample from an <see cref="ISampleSource"/>: a conversation (<see cref="Messages"/>, rendered with the model's
/// chat template) or a raw prompt (<see cref="Prompt"/>, a text completion), exactly one of them; how many samples; and
/// the settings. Create one with <see cref="Chat"/> or <see cref="Text"/>; <see cref="Validate"/> is the one check.
/// </summary>
public sealed record SampleRequest
{
    /// <summary>The conversation to reply to; null for a raw prompt.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>The raw prompt to continue (no chat template); null for a conversation.</summary>
    public string? Prompt { get; init; }

    /// <summary>Number of samples (at least 1).</summary>
    public int Count { get; init; } = 1;

    /// <summary>
    /// Temperature, top-p, max tokens, seed, stop sequences, response format. Sources never modify it; one that needs
    /// other settings (seed + i per sample, a default max tokens) clones it.
    /// </summary>
    public ChatOptions? Options { get; init; }

    /// <summary>Log-probabilities: null = none; 0 = the chosen tokens'; N = also the N most likely alternatives.</summary>
    public int? TopLogprobs { get; init; }

    /// <summary>
    /// Most tokens per sample when <see cref="ChatOptions.MaxOutputTokens"/> is not set (a server's default cap, cut to
    /// what fits beside the prompt); null = the source's own default.
    /// </summary>
    public int? DefaultMaxTokens { get; init; }

    /// <summary>Whether this is a raw prompt rather than a conversation.</summary>
    public bool IsRawPrompt => Prompt is not null;

    /// <summary>A request for <paramref name="count"/> replies to <paramref name="messages"/>.</summary>
    /// <exception cref="ArgumentException">A value is invalid (see <see cref="Validate"/>).</exception>
    public static SampleRequest Chat(IEnumerable<ChatMessage> messages, int count = 1, ChatOptions? options = null, int? topLogprobs = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // Parallel calls read the conversation concurrently; a lazy sequence is read once, here.
        var request = new SampleRequest
        {
            Messages = messages as IReadOnlyList<ChatMessage> ?? messages.ToList(),
            Count = count,
            Options = options,
            TopLogprobs = topLogprobs,
        };
        request.Validate();
        return request;
    }

    /// <summary>A request for <paramref name="count"/> continuations of the raw <paramref name="prompt"/>.</summary>
    /// <exception cref="ArgumentException">A value is invalid (see <see cref="Validate"/>).</exception>
    public static SampleRequest Text(string prompt, int count = 1, ChatOptions? options = null, int? topLogprobs = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var request = new SampleRequest { Prompt = prompt, Count = count, Options = options, TopLogprobs = topLogprobs };
        request.Validate();
        return request;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> (its parameter name the field) unless exactly one of
    /// <see cref="Messages"/> and <see cref="Prompt"/> is set, the conversation has a message, <see cref="Count"/> is at
    /// least 1, <see cref="TopLogprobs"/> is at least 0 and <see cref="DefaultMaxTokens"/> at least 1.
    /// </summary>
    public void Validate()
    {
        if ((Messages is null) == (Prompt is null))
        {
            throw new ArgumentException("A sample request has either messages or a prompt, exactly one of them.", nameof(Messages));
        }
        if (Messages is { Count: 0 })
        {
            throw new ArgumentException("At least one message is required.", nameof(Messages));
        }
        if (Messages?.Any(m => m is null) == true)
        {
            throw new ArgumentException("A message is null.", nameof(Messages));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(Count, 1, nameof(Count));
        if (TopLogprobs is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopLogprobs), TopLogprobs, "Top log-probabilities must be >= 0 (null for none).");
        }
        if (DefaultMaxTokens is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultMaxTokens), DefaultMaxTokens, "The default max tokens must be at least 1.");
        }
    }
}

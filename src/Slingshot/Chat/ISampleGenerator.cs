using Microsoft.Extensions.AI;

namespace Slingshot;

/// <summary>
/// "Give me n samples of this prompt with these settings": the capability strategies need and
/// <see cref="ChatOptions"/> cannot express. The local engine decodes the prompt once and forks it into n
/// sequences; other chat clients (remote endpoints) make parallel requests with seeds seed + i. Found on a chat client
/// through <c>GetService&lt;ISampleGenerator&gt;()</c>.
/// </summary>
public interface ISampleGenerator
{
    /// <summary>Draws <paramref name="count"/> samples of a reply to <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="options">Temperature, top-p, max tokens, seed, stop sequences, response format.</param>
    /// <param name="topLogprobs">null = no log-probabilities; 0 = chosen tokens'; N = also N alternatives.</param>
    /// <param name="cancellationToken">Cancels the draw.</param>
    Task<GenerationResult> GenerateSamplesAsync(IEnumerable<ChatMessage> messages, int count, ChatOptions? options = null,
        int? topLogprobs = null, CancellationToken cancellationToken = default);
}

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>A chat client for tests whose behavior is whatever its callbacks say.</summary>
internal sealed class FakeChatClient : IChatClient
{
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    public Func<Type, object?, object?>? GetServiceCallback { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        (GetResponseAsyncCallback ?? throw new InvalidOperationException("No response scripted."))(messages, options, cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        GetServiceCallback is { } callback ? callback(serviceType, serviceKey) : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>
    /// A client that answers call i (told apart by its seed, <paramref name="baseSeed"/> + i) with
    /// <paramref name="texts"/>[i], reporting 10 input and 3 output tokens per call, and records each call's options.
    /// </summary>
    public static FakeChatClient ScriptedBySeed(IReadOnlyList<string> texts, List<ChatOptions?> calls, long baseSeed = 100) => new()
    {
        GetResponseAsyncCallback = (_, options, _) =>
        {
            lock (calls)
            {
                calls.Add(options);
            }
            var index = (int)(options!.Seed!.Value - baseSeed);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, texts[index]))
            {
                ModelId = "fake",
                FinishReason = ChatFinishReason.Stop,
                Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3, TotalTokenCount = 13 },
            });
        },
    };
}

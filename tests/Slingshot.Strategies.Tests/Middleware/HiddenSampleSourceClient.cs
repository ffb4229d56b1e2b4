using Microsoft.Extensions.AI;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>Passes everything through except <see cref="ISampleSource"/>, so samplers must fall back to separate calls.</summary>
internal sealed class HiddenSampleSourceClient(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    public int Calls;

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ISampleSource) ? null : base.GetService(serviceType, serviceKey);
}

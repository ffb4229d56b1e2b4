using Slingshot.Server.Configuration;
using Slingshot.Server.OpenAi;

namespace Slingshot.Server.Hosting;

/// <summary>A request's place in its model's queue: 429 with Retry-After when the queue is full; released on dispose.</summary>
internal sealed class QueueSlot : IAsyncDisposable
{
    private readonly ServedModel _model;

    private QueueSlot(ServedModel model) => _model = model;

    public static QueueSlot Enter(ServedModel model, ServerLimits limits)
    {
        if (!model.TryEnter(limits.MaxQueue))
        {
            throw new ApiException(429, $"Model '{model.Name}' has {limits.MaxQueue} requests waiting or running; retry shortly.",
                type: "rate_limit_error", code: "queue_full");
        }
        return new QueueSlot(model);
    }

    public ValueTask DisposeAsync()
    {
        _model.Exit();
        return ValueTask.CompletedTask;
    }
}

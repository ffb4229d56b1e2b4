using Slingshot.Evaluation.Runs;

namespace Slingshot.Evaluation.Tests.Support;

/// <summary>The real engine on the shared stories model, one thread, as a chat client that forks n samples.</summary>
public sealed class StoriesClientFixture : IDisposable
{
    public StoriesClientFixture()
    {
        Engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 8, Threads = 1 });
        Client = new LlamaChatClient(Engine, new LlamaChatClientOptions { FallbackChatTemplate = "chatml", ModelId = "stories260K" });
    }

    public LlamaEngine Engine { get; }

    public LlamaChatClient Client { get; }

    /// <summary>The engine as an evaluation model; one call at a time keeps each call's batch the same across runs.</summary>
    public EvalModel Model(int maxConcurrentCalls = 1) => new()
    {
        Source = Client,
        MaxConcurrentCalls = maxConcurrentCalls,
    };

    public void Dispose() => Engine.Dispose();
}

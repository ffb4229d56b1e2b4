namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>The real engine on stories260K, one thread, behind the chat client the strategies see.</summary>
public sealed class StoriesChatFixture : IDisposable
{
    public StoriesChatFixture()
    {
        Engine = LlamaEngine.Load(TestPaths.Stories260K, new EngineOptions { ContextSize = 1024, MaxSequences = 8, Threads = 1 });
        // stories260K has no chat template of its own; ChatML renders the prompt as plain text it can continue.
        Client = new LlamaChatClient(Engine, new LlamaChatClientOptions { FallbackChatTemplate = "chatml" });
    }

    public LlamaEngine Engine { get; }

    public LlamaChatClient Client { get; }

    public void Dispose() => Engine.Dispose();
}

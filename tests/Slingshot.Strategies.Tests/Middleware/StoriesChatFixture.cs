using Slingshot.Strategies.Tests.Support;

namespace Slingshot.Strategies.Tests.Middleware;

/// <summary>The real engine on stories260K, one thread, behind the chat client the strategies see.</summary>
public sealed class StoriesChatFixture : IDisposable
{
    public StoriesChatFixture()
    {
        Engine = LlamaEngine.Load(FindModel(), new EngineOptions { ContextSize = 1024, MaxSequences = 8, Threads = 1 });
        // stories260K has no chat template of its own; ChatML renders the prompt as plain text it can continue.
        Client = new LlamaChatClient(Engine, new LlamaChatClientOptions { FallbackChatTemplate = "chatml" });
    }

    public LlamaEngine Engine { get; }

    public LlamaChatClient Client { get; }

    public void Dispose() => Engine.Dispose();

    /// <summary>
    /// The shared stories260K: beside the repository, or beside a folder above it when the checkout is a
    /// worktree nested one level deeper than the main one.
    /// </summary>
    private static string FindModel()
    {
        const string relative = "shared/models/stories260K/stories260K.gguf";
        for (var dir = new DirectoryInfo(TestPaths.RepoRoot).Parent; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return TestPaths.Stories260K;
    }
}

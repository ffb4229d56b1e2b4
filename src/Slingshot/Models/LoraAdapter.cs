using Slingshot.Native.Handles;

namespace Slingshot;

/// <summary>A LoRA adapter loaded for one model. Applied per engine, with a scale, through <see cref="EngineOptions.LoraAdapters"/>.</summary>
public sealed class LoraAdapter : IDisposable
{
    internal LoraAdapter(LlamaModel model, string path, SafeLlamaLoraAdapterHandle handle)
    {
        Model = model;
        Path = path;
        Handle = handle;
    }

    /// <summary>The model the adapter was loaded for; it applies to no other.</summary>
    public LlamaModel Model { get; }

    /// <summary>The adapter file.</summary>
    public string Path { get; }

    internal SafeLlamaLoraAdapterHandle Handle { get; }

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}

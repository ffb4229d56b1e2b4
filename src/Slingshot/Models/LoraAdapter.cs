using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

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

    /// <summary>Sets <paramref name="adapters"/> with their scales on a context of their model (nothing when empty).</summary>
    internal static unsafe void ApplyTo(SafeLlamaContextHandle context, IReadOnlyList<(LoraAdapter Adapter, float Scale)> adapters)
    {
        if (adapters.Count == 0)
        {
            return;
        }
        // llama.cpp keeps raw pointers to the adapters: the context holds a reference on each until it is freed,
        // so an adapter disposed or collected by its owner cannot be freed under it.
        foreach (var (adapter, _) in adapters)
        {
            context.KeepAlive(adapter.Handle);
        }
        var handles = adapters.Select(a => a.Adapter.Handle.DangerousGetHandle()).ToArray();
        var scales = adapters.Select(a => a.Scale).ToArray();
        fixed (nint* h = handles)
        fixed (float* s = scales)
        {
            if (LlamaNative.llama_set_adapters_lora(context, h, (nuint)handles.Length, s) != 0)
            {
                throw new SlingshotException("llama.cpp could not apply the LoRA adapters.");
            }
        }
    }
}

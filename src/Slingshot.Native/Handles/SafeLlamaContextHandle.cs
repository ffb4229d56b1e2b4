using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>Owns a llama_context; holds a reference on its model, and on what it uses by raw pointer.</summary>
internal sealed class SafeLlamaContextHandle(nint handle, SafeLlamaModelHandle model) : SafeModelBoundHandle(handle, model)
{
    private readonly List<SafeHandle> _dependents = [];

    /// <summary>
    /// Keeps a native object the context uses by raw pointer (a LoRA adapter, a thread pool) alive until the
    /// context is freed. Throws <see cref="ObjectDisposedException"/> if it is already gone.
    /// </summary>
    public void KeepAlive(SafeHandle dependent)
    {
        var added = false;
        dependent.DangerousAddRef(ref added);
        _dependents.Add(dependent);
    }

    protected override void Free(nint nativeHandle)
    {
        LlamaNative.llama_free(nativeHandle);
        foreach (var dependent in _dependents)
        {
            dependent.DangerousRelease();
        }
    }
}

using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>
/// Owns a llama_context. Holds a reference on its model so the model outlives every context made from it,
/// whatever order the managed objects are disposed or finalized in.
/// </summary>
internal sealed class SafeLlamaContextHandle : SafeHandle
{
    private readonly SafeLlamaModelHandle? _model;
    private readonly List<SafeHandle> _dependents = [];

    public SafeLlamaContextHandle() : base(nint.Zero, ownsHandle: true) { }

    public SafeLlamaContextHandle(nint handle, SafeLlamaModelHandle model) : base(nint.Zero, ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == nint.Zero;

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

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_free(handle);
        foreach (var dependent in _dependents)
        {
            dependent.DangerousRelease();
        }
        _model?.DangerousRelease();
        return true;
    }
}

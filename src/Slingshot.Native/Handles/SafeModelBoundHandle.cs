using System.Runtime.InteropServices;

namespace Slingshot.Native.Handles;

/// <summary>
/// Owns a native object made from a model (a context, a LoRA adapter) and holds a reference on that model, so the
/// model outlives the object whatever order the managed objects are disposed or finalized in.
/// </summary>
internal abstract class SafeModelBoundHandle : SafeHandle
{
    private readonly SafeLlamaModelHandle _model;

    protected SafeModelBoundHandle(nint handle, SafeLlamaModelHandle model) : base(nint.Zero, ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>Frees the native object; the model's reference is released after it.</summary>
    protected abstract void Free(nint nativeHandle);

    protected sealed override bool ReleaseHandle()
    {
        Free(handle);
        _model.DangerousRelease();
        return true;
    }
}

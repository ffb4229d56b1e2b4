using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>Owns a ggml_opt_dataset (token windows and their labels, in a CPU buffer).</summary>
internal sealed class SafeGgmlOptDatasetHandle : SafeHandle
{
    public SafeGgmlOptDatasetHandle() : base(nint.Zero, ownsHandle: true) { }

    public SafeGgmlOptDatasetHandle(nint handle) : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        LlamaNative.ggml_opt_dataset_free(handle);
        return true;
    }
}

/// <summary>Owns a ggml_opt_result (loss and accuracy summed over the evaluations it was given).</summary>
internal sealed class SafeGgmlOptResultHandle : SafeHandle
{
    public SafeGgmlOptResultHandle() : base(nint.Zero, ownsHandle: true) { }

    public SafeGgmlOptResultHandle(nint handle) : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        LlamaNative.ggml_opt_result_free(handle);
        return true;
    }
}

using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>
/// A persistent ggml CPU thread pool. Without one, every llama_decode starts and joins its worker threads
/// (the prebuilt libraries have no OpenMP), which costs single-sequence decode 7-16% on two cores.
/// ggml_threadpool_new lives in the dynamically loaded CPU backend, so it is found through
/// ggml_backend_reg_get_proc_address, as llama-bench does.
/// </summary>
internal sealed unsafe class SafeGgmlThreadpoolHandle : SafeHandle
{
    private static delegate* unmanaged[Cdecl]<GgmlThreadpoolParams*, nint> s_new;
    private static delegate* unmanaged[Cdecl]<nint, void> s_free;

    public SafeGgmlThreadpoolHandle() : base(nint.Zero, ownsHandle: true) { }

    private SafeGgmlThreadpoolHandle(nint handle) : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>Creates a pool of <paramref name="threads"/> threads, or returns null when the CPU backend does not offer one.</summary>
    public static SafeGgmlThreadpoolHandle? TryCreate(int threads)
    {
        if (s_new == null || s_free == null)
        {
            var device = LlamaNative.ggml_backend_dev_by_type(0);
            var reg = device == nint.Zero ? nint.Zero : LlamaNative.ggml_backend_dev_backend_reg(device);
            if (reg == nint.Zero)
            {
                return null;
            }
            s_new = (delegate* unmanaged[Cdecl]<GgmlThreadpoolParams*, nint>)LlamaNative.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_new");
            s_free = (delegate* unmanaged[Cdecl]<nint, void>)LlamaNative.ggml_backend_reg_get_proc_address(reg, "ggml_threadpool_free");
            if (s_new == null || s_free == null)
            {
                return null;
            }
        }
        var parameters = LlamaNative.ggml_threadpool_params_default(threads);
        var pool = s_new(&parameters);
        return pool == nint.Zero ? null : new SafeGgmlThreadpoolHandle(pool);
    }

    protected override bool ReleaseHandle()
    {
        s_free(handle);
        return true;
    }
}

using System.Runtime.InteropServices;

namespace Slingshot.Native.Handles;

/// <summary>
/// Keeps a native object alive for the length of a <c>using</c> block, for raw pointers derived from a
/// handle (a model's vocabulary): a concurrent Dispose then waits for the block instead of freeing memory
/// under it, and use after Dispose is an <see cref="ObjectDisposedException"/> rather than a crash.
/// </summary>
internal readonly struct HandleLease : IDisposable
{
    private readonly SafeHandle _handle;

    public HandleLease(SafeHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        _handle = handle;
    }

    public void Dispose() => _handle.DangerousRelease();
}

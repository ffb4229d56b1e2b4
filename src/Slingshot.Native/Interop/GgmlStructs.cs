using System.Runtime.InteropServices;

namespace Slingshot.Native.Interop;

/// <summary>struct ggml_threadpool_params (ggml.h): 512 bools of CPU mask, then the scalars; 528 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GgmlThreadpoolParams
{
    public fixed bool Cpumask[512];
    public int NThreads;
    public int Prio;
    public uint Poll;
    public bool StrictCpu;
    public bool Paused;
}

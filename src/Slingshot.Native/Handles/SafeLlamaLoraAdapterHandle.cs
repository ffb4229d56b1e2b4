using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>Owns a LoRA adapter; holds a reference on the model it was loaded for.</summary>
internal sealed class SafeLlamaLoraAdapterHandle : SafeHandle
{
    private readonly SafeLlamaModelHandle? _model;

    public SafeLlamaLoraAdapterHandle() : base(nint.Zero, ownsHandle: true) { }

    public SafeLlamaLoraAdapterHandle(nint handle, SafeLlamaModelHandle model) : base(nint.Zero, ownsHandle: true)
    {
        var added = false;
        model.DangerousAddRef(ref added);
        _model = model;
        SetHandle(handle);
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_adapter_lora_free(handle);
        _model?.DangerousRelease();
        return true;
    }
}

using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>Owns a LoRA adapter; holds a reference on the model it was loaded for.</summary>
internal sealed class SafeLlamaLoraAdapterHandle(nint handle, SafeLlamaModelHandle model) : SafeModelBoundHandle(handle, model)
{
    protected override void Free(nint nativeHandle) => LlamaNative.llama_adapter_lora_free(nativeHandle);
}

using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>Owns a parsed chat template of the chat bridge (slingshot_chat_templates_init). It keeps no pointer to
/// the model it was read from, so it may outlive it.</summary>
internal sealed class SafeChatTemplatesHandle : SafeHandle
{
    public SafeChatTemplatesHandle() : base(nint.Zero, ownsHandle: true) { }

    internal SafeChatTemplatesHandle(nint handle) : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        ChatBridgeNative.slingshot_chat_templates_free(handle);
        return true;
    }
}

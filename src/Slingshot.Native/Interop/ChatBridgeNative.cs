using System.Runtime.InteropServices;

namespace Slingshot.Native.Interop;

/// <summary>
/// Externs of libslingshot-chat.so, the C bridge to llama.cpp's chat machinery (native/chat/slingshot_chat.h). Every
/// function returns 0 on success; on failure <c>error</c> receives a one-line message. Strings the bridge returns
/// are freed with <see cref="slingshot_chat_free"/>. Load the bridge with <see cref="ChatBridge.EnsureLoaded"/> first.
/// </summary>
internal static unsafe partial class ChatBridgeNative
{
    public const string Library = "slingshot-chat";

    /// <summary>The interface version this binding mirrors (slingshot_chat.cpp's abi_version).</summary>
    public const int AbiVersion = 1;

    [LibraryImport(Library)]
    public static partial int slingshot_chat_abi_version();

    [LibraryImport(Library)]
    public static partial int slingshot_chat_templates_init(nint model, byte* templateSource, byte* bosToken, byte* eosToken,
        nint* templates, byte** error);

    [LibraryImport(Library)]
    public static partial void slingshot_chat_templates_free(nint templates);

    [LibraryImport(Library)]
    public static partial int slingshot_chat_templates_describe(nint templates, byte** resultJson, byte** error);

    [LibraryImport(Library)]
    public static partial int slingshot_chat_apply(nint templates, byte* requestJson, byte** resultJson, byte** error);

    [LibraryImport(Library)]
    public static partial int slingshot_chat_parse(byte* text, int isPartial, byte* paramsJson, byte** resultJson, byte** error);

    [LibraryImport(Library)]
    public static partial int slingshot_json_schema_to_grammar(byte* schemaJson, byte** grammar, byte** error);

    [LibraryImport(Library)]
    public static partial void slingshot_chat_free(byte* text);
}

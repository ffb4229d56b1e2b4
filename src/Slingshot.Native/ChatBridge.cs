using System.Runtime.InteropServices;
using System.Text;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot.Native;

/// <summary>
/// Loads libslingshot-chat.so (llama.cpp's chat machinery behind a C ABI, compiled by the build beside the llama.cpp
/// libraries) and wraps its calls: UTF-8 JSON text in, managed strings out, every native string freed, every failure a
/// <see cref="ChatBridgeException"/> carrying the bridge's one-line message.
/// </summary>
internal static unsafe class ChatBridge
{
    public const string FileName = "libslingshot-chat.so";

    private static readonly Lazy<string> s_loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads the bridge once; later calls return the path (or rethrow the same failure).</summary>
    /// <exception cref="LlamaLibraryException">The bridge is missing, cannot load, or speaks another interface version.</exception>
    public static string EnsureLoaded() => s_loaded.Value;

    private static string Load()
    {
        var info = LlamaLibrary.EnsureLoaded();
        // Beside the loaded llama.cpp first (its libllama-common.so is the one it links to), then the build's own copy
        // beside the app, for a llama.cpp folder from elsewhere (SLINGSHOT_LLAMA_NATIVE_DIR pointing at a GPU build).
        string[] candidates = [info.Directory, Path.Combine(AppContext.BaseDirectory, "llama"), AppContext.BaseDirectory];
        var path = candidates.Select(d => Path.Combine(d, FileName)).FirstOrDefault(File.Exists)
            ?? throw new LlamaLibraryException(
                $"The chat-template bridge {FileName} is not in '{info.Directory}' (the build compiles it with g++ into llama/ beside the app; rebuild the project).");
        LlamaLibrary.LoadCompanion(ChatBridgeNative.Library, path);
        var version = ChatBridgeNative.slingshot_chat_abi_version();
        return version == ChatBridgeNative.AbiVersion
            ? path
            : throw new LlamaLibraryException($"'{path}' speaks chat bridge interface {version}, these bindings {ChatBridgeNative.AbiVersion}; rebuild the project.");
    }

    /// <summary>
    /// Parses a template: with a model and no <paramref name="source"/>, the model's own (and its tool-use variant)
    /// with its BOS/EOS, as llama-server does; with a source, that text (BOS/EOS from the model when given, else
    /// <paramref name="bosToken"/>/<paramref name="eosToken"/>).
    /// </summary>
    public static SafeChatTemplatesHandle Init(SafeLlamaModelHandle? model, string? source, string? bosToken, string? eosToken)
    {
        EnsureLoaded();
        using var lease = model is null ? default(HandleLease?) : new HandleLease(model);
        var modelPointer = model?.DangerousGetHandle() ?? nint.Zero;
        nint templates = 0;
        byte* error = null;
        int status;
        fixed (byte* s = Utf8(source))
        fixed (byte* b = Utf8(bosToken))
        fixed (byte* e = Utf8(eosToken))
        {
            status = ChatBridgeNative.slingshot_chat_templates_init(modelPointer, s, b, e, &templates, &error);
        }
        ThrowIfFailed(status, error);
        return new SafeChatTemplatesHandle(templates);
    }

    /// <summary>The template's source and capabilities, as JSON.</summary>
    public static string Describe(SafeChatTemplatesHandle templates)
    {
        using var lease = new HandleLease(templates);
        byte* result = null;
        byte* error = null;
        var status = ChatBridgeNative.slingshot_chat_templates_describe(templates.DangerousGetHandle(), &result, &error);
        ThrowIfFailed(status, error);
        return Take(result);
    }

    /// <summary>Renders a request (JSON, see slingshot_chat.h) into the prompt and its generation parameters (JSON).</summary>
    public static string Apply(SafeChatTemplatesHandle templates, string requestJson)
    {
        using var lease = new HandleLease(templates);
        byte* result = null;
        byte* error = null;
        int status;
        fixed (byte* request = Utf8(requestJson))
        {
            status = ChatBridgeNative.slingshot_chat_apply(templates.DangerousGetHandle(), request, &result, &error);
        }
        ThrowIfFailed(status, error);
        return Take(result);
    }

    /// <summary>Parses model output into an assistant message (JSON) with the parser an apply returned.</summary>
    public static string Parse(string text, bool isPartial, string parserParamsJson)
    {
        EnsureLoaded();
        byte* result = null;
        byte* error = null;
        int status;
        fixed (byte* t = Utf8(text))
        fixed (byte* p = Utf8(parserParamsJson))
        {
            status = ChatBridgeNative.slingshot_chat_parse(t, isPartial ? 1 : 0, p, &result, &error);
        }
        ThrowIfFailed(status, error);
        return Take(result);
    }

    /// <summary>llama.cpp's JSON-schema-to-GBNF conversion (llama-server's response_format).</summary>
    public static string JsonSchemaToGrammar(string schemaJson)
    {
        EnsureLoaded();
        byte* result = null;
        byte* error = null;
        int status;
        fixed (byte* schema = Utf8(schemaJson))
        {
            status = ChatBridgeNative.slingshot_json_schema_to_grammar(schema, &result, &error);
        }
        ThrowIfFailed(status, error);
        return Take(result);
    }

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text + "\0");

    private static void ThrowIfFailed(int status, byte* error)
    {
        if (status != 0)
        {
            throw new ChatBridgeException(error == null ? "the chat bridge failed without a message" : Take(error));
        }
    }

    private static string Take(byte* text)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
        }
        finally
        {
            ChatBridgeNative.slingshot_chat_free(text);
        }
    }
}

/// <summary>llama.cpp's chat machinery refused the input; the message is its own one-line reason.</summary>
internal sealed class ChatBridgeException(string message) : Exception(message);

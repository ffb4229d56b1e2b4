using System.Runtime.InteropServices;

namespace Slingshot.Native.Interop;

// Vocabulary functions take the const llama_vocab* that llama_model_get_vocab returns; it lives as long
// as its model, which the engine's Vocabulary keeps alive.
internal static unsafe partial class LlamaNative
{
    [LibraryImport(Llama)]
    public static partial int llama_vocab_n_tokens(nint vocab);

    [LibraryImport(Llama)]
    public static partial LlamaVocabType llama_vocab_type(nint vocab);

    [LibraryImport(Llama)]
    public static partial LlamaToken llama_vocab_bos(nint vocab);

    [LibraryImport(Llama)]
    public static partial LlamaToken llama_vocab_eos(nint vocab);

    [LibraryImport(Llama)]
    public static partial LlamaToken llama_vocab_eot(nint vocab);

    [LibraryImport(Llama)]
    public static partial LlamaToken llama_vocab_nl(nint vocab);

    [LibraryImport(Llama)]
    public static partial LlamaToken llama_vocab_pad(nint vocab);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_get_add_bos(nint vocab);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_get_add_eos(nint vocab);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_is_eog(nint vocab, LlamaToken token);

    [LibraryImport(Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_is_control(nint vocab, LlamaToken token);

    [LibraryImport(Llama)]
    public static partial byte* llama_vocab_get_text(nint vocab, LlamaToken token);

    [LibraryImport(Llama)]
    public static partial LlamaTokenAttr llama_vocab_get_attr(nint vocab, LlamaToken token);

    /// <summary>Returns the count, or minus the count needed when the buffer is too small.</summary>
    [LibraryImport(Llama)]
    public static partial int llama_tokenize(nint vocab, byte* text, int textLen, LlamaToken* tokens, int nTokensMax,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    /// <summary>Writes the token's bytes (no NUL); returns minus the size needed when the buffer is too small.</summary>
    [LibraryImport(Llama)]
    public static partial int llama_token_to_piece(nint vocab, LlamaToken token, byte* buf, int length, int lstrip,
        [MarshalAs(UnmanagedType.U1)] bool special);
}

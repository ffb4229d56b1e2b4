using System.Text;
using Slingshot.Gguf;
using Slingshot.Native;
using Slingshot.Native.Handles;
using Slingshot.Native.Interop;

namespace Slingshot;

/// <summary>
/// A GGUF model loaded through llama.cpp (memory-mapped by default). Thread-safe to share: contexts,
/// engines and adapters made from it keep it alive through the native handle's reference count.
/// </summary>
public sealed class LlamaModel : IDisposable
{
    private readonly SafeLlamaModelHandle _handle;

    private LlamaModel(string path, SafeLlamaModelHandle handle)
    {
        Path = path;
        _handle = handle;
        Vocabulary = new Vocabulary(handle);
        Info = ReadInfo();
        // Checked now, so a template that cannot render is reported at load rather than by every chat request.
        Info = Info with { ChatTemplateError = ModelChatTemplates.Check(this) };
    }

    /// <summary>The file the model came from.</summary>
    public string Path { get; }

    /// <summary>Shape, size, quantization and metadata.</summary>
    public ModelInfo Info { get; }

    /// <summary>Tokenizer and special tokens.</summary>
    public Vocabulary Vocabulary { get; }

    internal SafeLlamaModelHandle Handle => _handle;

    /// <summary>
    /// Loads a GGUF file. The header is checked in managed code first, so a missing, truncated, non-GGUF or
    /// unsupported file is a one-line <see cref="InvalidModelFileException"/>, never a native abort.
    /// </summary>
    public static LlamaModel Load(string path, ModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new ModelOptions();
        var fullPath = System.IO.Path.GetFullPath(path);
        GgufValidator.Validate(fullPath);
        LlamaRuntime.EnsureLoaded();

        var parameters = LlamaNative.llama_model_default_params();
        parameters.NGpuLayers = options.GpuLayers;
        parameters.LoadMode = options.UseMemoryMap ? 1 : 0;
        using var capture = LlamaLog.Capture();
        var raw = LlamaNative.llama_model_load_from_file(fullPath, parameters);
        if (raw == nint.Zero)
        {
            throw new SlingshotException($"llama.cpp could not load '{fullPath}': {capture.Explain()}.");
        }
        var handle = new SafeLlamaModelHandle(raw);
        var unsupported = !LlamaNative.llama_model_has_decoder(handle) || LlamaNative.llama_model_has_encoder(handle) ? "is not a decoder-only model"
            : LlamaNative.llama_model_is_diffusion(handle) ? "is a diffusion model"
            : LlamaNative.llama_model_is_recurrent(handle) || LlamaNative.llama_model_is_hybrid(handle) ? "has recurrent layers, which the decode loop does not fork yet"
            : null;
        if (unsupported is not null)
        {
            handle.Dispose();
            throw new SlingshotException($"'{fullPath}' {unsupported}; Slingshot generates text with decoder-only attention models.");
        }
        return new LlamaModel(fullPath, handle);
    }

    /// <summary>Loads a LoRA adapter made for this model; apply it through <see cref="EngineOptions.LoraAdapters"/>.</summary>
    public LoraAdapter LoadLoraAdapter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new SlingshotException($"LoRA adapter '{fullPath}' does not exist.");
        }
        GgufValidator.Validate(fullPath);
        using var capture = LlamaLog.Capture();
        var raw = LlamaNative.llama_adapter_lora_init(_handle, fullPath);
        if (raw == nint.Zero)
        {
            throw new SlingshotException($"llama.cpp could not load LoRA adapter '{fullPath}': {capture.Explain()}.");
        }
        return new LoraAdapter(this, fullPath, new SafeLlamaLoraAdapterHandle(raw, _handle));
    }

    /// <inheritdoc />
    public void Dispose() => _handle.Dispose();

    /// <summary>Most tokens a context gets when its size is left to the model.</summary>
    internal const int DefaultContextCap = 4096;

    /// <summary>
    /// The context size used when none is given: the model's training context, at most <see cref="DefaultContextCap"/>.
    /// A model that declares no context (0) needs an explicit size.
    /// </summary>
    internal int DefaultContextSize()
    {
        if (Info.TrainContextLength <= 0)
        {
            throw new ArgumentException(
                $"'{System.IO.Path.GetFileName(Path)}' declares a training context of {Info.TrainContextLength} tokens ({Info.Architecture}.context_length); set a context size.");
        }
        return (int)Math.Min(Info.TrainContextLength, DefaultContextCap);
    }

    private unsafe ModelInfo ReadInfo()
    {
        var metadata = ReadMetadata();
        var vocab = Vocabulary;
        Span<byte> buffer = stackalloc byte[256];
        string description;
        fixed (byte* p = buffer)
        {
            var n = LlamaNative.llama_model_desc(_handle, p, (nuint)buffer.Length);
            description = n > 0 ? Encoding.UTF8.GetString(buffer[..Math.Min(n, buffer.Length - 1)]) : "unknown";
        }
        var ftype = LlamaNative.llama_model_ftype(_handle);
        return new ModelInfo
        {
            Architecture = metadata.GetValueOrDefault("general.architecture", "unknown"),
            Name = metadata.GetValueOrDefault("general.name"),
            Description = description,
            ParameterCount = (long)LlamaNative.llama_model_n_params(_handle),
            SizeBytes = (long)LlamaNative.llama_model_size(_handle),
            Quantization = LlamaNative.ReadString(LlamaNative.llama_ftype_name(ftype)) ?? ftype.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // llama.cpp keeps the value as uint32 but returns it as int32: 2^31 and above would read negative.
            TrainContextLength = (uint)LlamaNative.llama_model_n_ctx_train(_handle),
            EmbeddingLength = LlamaNative.llama_model_n_embd(_handle),
            LayerCount = LlamaNative.llama_model_n_layer(_handle),
            HeadCount = LlamaNative.llama_model_n_head(_handle),
            KvHeadCount = LlamaNative.llama_model_n_head_kv(_handle),
            VocabularySize = vocab.Count,
            VocabularyType = vocab.Type,
            BosToken = vocab.Bos,
            EosToken = vocab.Eos,
            EotToken = vocab.Eot,
            ChatTemplate = LlamaNative.ReadString(LlamaNative.llama_model_chat_template(_handle, null)),
            Metadata = metadata,
        };
    }

    private unsafe Dictionary<string, string> ReadMetadata()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = LlamaNative.llama_model_meta_count(_handle);
        for (var i = 0; i < count; i++)
        {
            var key = ReadSized((buf, size) => LlamaNative.llama_model_meta_key_by_index(_handle, i, buf, size));
            var value = ReadSized((buf, size) => LlamaNative.llama_model_meta_val_str_by_index(_handle, i, buf, size));
            if (key is not null && value is not null)
            {
                result[key] = value;
            }
        }
        return result;
    }

    private unsafe delegate int SizedReader(byte* buffer, nuint size);

    /// <summary>Calls a llama.cpp "fill this buffer, return the length" function, growing the buffer as needed.</summary>
    private static unsafe string? ReadSized(SizedReader read)
    {
        var size = 256;
        while (true)
        {
            var buffer = new byte[size];
            int n;
            fixed (byte* p = buffer)
            {
                n = read(p, (nuint)size);
            }
            if (n < 0)
            {
                return null;
            }
            if (n < size)
            {
                return Encoding.UTF8.GetString(buffer, 0, n);
            }
            size = n + 1;
        }
    }
}

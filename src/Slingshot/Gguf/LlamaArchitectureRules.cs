namespace Slingshot.Gguf;

/// <summary>
/// Per-architecture facts of the pinned llama.cpp that decide which metadata would end the process, copied from
/// its source (src/llama-arch.cpp, src/models/*.cpp). Update together with the pinned build, as
/// <see cref="LlamaArchitectures"/>.
/// </summary>
internal static class LlamaArchitectureRules
{
    /// <summary>
    /// Architectures whose graph builder asserts <c>n_embd_head_v == n_embd_head_k</c>: a key_length other than the
    /// value_length aborts at the first decode.
    /// </summary>
    public static IReadOnlySet<string> KeyHeadEqualsValueHead { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "afmoe", "apertus", "arcee", "arctic", "baichuan", "bailingmoe2", "bert", "bitnet", "bloom", "chameleon",
        "chatglm", "codeshell", "cogvlm", "cohere2", "cohere2moe", "command-r", "dbrx", "deci", "deepseek", "dots1",
        "dream", "ernie4_5", "ernie4_5-moe", "eurobert", "exaone", "falcon", "glm4", "glm4moe", "gpt2", "gptneox",
        "granite", "granite_swa", "granitehybrid", "granitemoe", "graniteswitch", "grok", "grovemoe", "hunyuan-dense",
        "hunyuan-moe", "hunyuan_vl", "hy_v3", "internlm2", "jais", "jais2", "jina-bert-v2", "jina-bert-v3", "laguna",
        "llada", "llada-moe", "llama", "llama-embed", "llama4", "maincoder", "mellum", "minicpm", "minimax-01",
        "minimax-m2", "minimax-m3", "mistral3", "modern-bert", "mpt", "muse-glimmer", "nanbeige", "nemotron",
        "nemotron_h", "nemotron_h_moe", "neo-bert", "nomic-bert", "nomic-bert-moe", "olmo", "olmo2", "olmoe", "openelm",
        "orion", "paddleocr", "pangu-embedded", "phi2", "phi3", "phimoe", "plamo", "pockettts", "qwen", "qwen2",
        "qwen2moe", "qwen2vl", "qwen3", "qwen35", "qwen35moe", "qwen3moe", "qwen3tts", "qwen3vl", "qwen3vlmoe", "refact",
        "rnd1", "seed_oss", "smallthinker", "smollm3", "spark2_5", "stablelm", "starcoder", "starcoder2", "t5",
        "t5encoder", "xverse",
    };

    /// <summary>
    /// Architectures whose graph builder asserts <c>n_embd_head_v == n_rot</c>: a rope.dimension_count other than
    /// the head size aborts at the first decode.
    /// </summary>
    public static IReadOnlySet<string> RopeEqualsValueHead { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "apertus", "arcee", "arctic", "baichuan", "chameleon", "codeshell", "cogvlm", "cohere2moe", "dbrx", "deci",
        "deepseek", "dots1", "dream", "ernie4_5", "ernie4_5-moe", "exaone", "exaone-moe", "exaone4", "falcon", "granite",
        "granite_swa", "granitemoe", "graniteswitch", "grok", "grovemoe", "hunyuan-dense", "hunyuan-moe", "hunyuan_vl",
        "hy_v3", "internlm2", "jais2", "llada", "llada-moe", "llama", "llama-embed", "llama4", "maincoder", "mellum",
        "minicpm", "mistral3", "olmo", "olmo2", "olmoe", "orion", "paddleocr", "pangu-embedded", "plamo", "pockettts",
        "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "qwen3tts", "qwen3vl", "qwen3vlmoe", "rnd1", "seed_oss",
        "smallthinker", "smollm3", "starcoder2", "talkie", "xverse",
    };

    /// <summary>
    /// Recurrent, hybrid and diffusion architectures (llm_arch_is_recurrent, _is_hybrid, _is_diffusion). The engine
    /// refuses them right after loading, before any graph is built, so only their load-time checks matter; their
    /// per-layer attention widths follow other rules and are not checked.
    /// </summary>
    public static IReadOnlySet<string> NeverDecoded { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "mamba", "mamba2", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7",
        "jamba", "falcon-h1", "plamo2", "granitehybrid", "lfm2", "lfm2moe", "nemotron_h", "nemotron_h_moe", "qwen3next",
        "kimi-linear", "bailingmoe3", "kimi-k3", "qwen35", "qwen35moe", "qwen4exp", "deepseek4", "minimax-01",
        "dream", "llada", "llada-moe", "rnd1",
    };

    /// <summary>Values of rope.scaling.type llama.cpp knows (LLAMA_ROPE_SCALING_TYPES); any other aborts the load.</summary>
    public static IReadOnlyList<string> RopeScalingTypes { get; } = ["none", "linear", "yarn", "longrope"];

    /// <summary>
    /// The assertions a few architectures make in their own load_arch_hparams (src/models/*.cpp) while the model
    /// loads: the problem, or null.
    /// </summary>
    public static string? FindArchitectureProblem(ArchitectureMetadata meta, uint layers)
    {
        switch (meta.Architecture)
        {
            case "nanbeige":
                var loops = meta.UInt32("num_loops") ?? 1;
                return loops < 1 ? $"{meta.Key("num_loops")} is 0; it must be at least 1"
                    : (ulong)layers * loops > 512 ? $"{meta.Key("block_count")} x {meta.Key("num_loops")} is {(ulong)layers * loops} layers; llama.cpp allows at most 512"
                    : null;
            case "hrm_text":
                if (meta.UInt32("hrm.layers_per_stack") is not { } perStack || meta.UInt32("hrm.h_cycles") is not { } h || meta.UInt32("hrm.l_cycles") is not { } l)
                {
                    return null; // llama.cpp refuses a missing or mistyped key with an error
                }
                if (perStack == 0 || h == 0 || l == 0)
                {
                    return $"{meta.Key("hrm.layers_per_stack")}, {meta.Key("hrm.h_cycles")} and {meta.Key("hrm.l_cycles")} must be at least 1 (got {perStack}, {h}, {l})";
                }
                var slots = (ulong)perStack * h * (l + 1UL);
                return slots != layers ? $"{meta.Key("block_count")} is {layers}, but layers_per_stack x h_cycles x (l_cycles + 1) is {slots}" : null;
            case "minimax-m3":
                return meta.UInt32("attention.indexer.block_size") == 0 ? $"{meta.Key("attention.indexer.block_size")} is 0; it must be at least 1" : null;
            case "gemma-embedding":
                var width = meta.UInt32("embedding_length");
                return meta.UInt32("dense_2_feat_in") is { } input && input != 0 && input != width ? $"{meta.Key("dense_2_feat_in")} is {input}; it must be 0 or the embedding length {width}"
                    : meta.UInt32("dense_3_feat_out") is { } output && output != 0 && output != width ? $"{meta.Key("dense_3_feat_out")} is {output}; it must be 0 or the embedding length {width}"
                    : null;
            case "deepseek4":
                return meta.File.TryGetValue(meta.Key("attention.compress_ratios"), out var ratios) && ratios.IsArray && ratios.Length > 512
                    ? $"{meta.Key("attention.compress_ratios")} has {ratios.Length} entries; llama.cpp allows at most 512" : null;
            case "bailingmoe3":
                return meta.Bool("kda.safe_gate") == false ? $"{meta.Key("kda.safe_gate")} is false; llama.cpp supports only the safe gate"
                    : meta.Float32("kda.gate_lower_bound") is { } bound && !(bound < 0) ? $"{meta.Key("kda.gate_lower_bound")} is {bound}; it must be negative"
                    : null;
            case "dflash":
                if (meta.UInt32("hyper_connection.count") is not > 0)
                {
                    return null;
                }
                return meta.UInt32("attention.output_group_count") == 0 ? $"{meta.Key("attention.output_group_count")} is 0; it must be at least 1"
                    : meta.UInt32("attention.sliding_window") == 0 ? $"{meta.Key("attention.sliding_window")} is 0; it must be at least 1"
                    : null;
            case "hy_v4":
                return meta.UInt32("attention.key_length_mla") == 0 || meta.UInt32("attention.value_length_mla") == 0
                    ? $"{meta.Key("attention.key_length_mla")} and {meta.Key("attention.value_length_mla")} must both be at least 1" : null;
            case "wavtokenizer-dec":
                return meta.UInt32("posnet.block_count") is { } posnet && posnet > layers ? $"{meta.Key("posnet.block_count")} is {posnet}, more than the {layers} layers"
                    : meta.UInt32("convnext.block_count") is { } convnext && convnext > layers ? $"{meta.Key("convnext.block_count")} is {convnext}, more than the {layers} layers"
                    : null;
            default:
                return null;
        }
    }
}

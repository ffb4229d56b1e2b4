using Slingshot.Gguf;
using Slingshot.Tests.Support;

namespace Slingshot.Tests.Gguf;

/// <summary>
/// Hyperparameters llama.cpp asserts on (the process aborts, exit 134) instead of refusing with an error. Each row
/// is stories260K rewritten by the project's GGUF writer with one malformation and loaded through the real path
/// (validation, llama.cpp, context). Before the managed checks, `slingshot run` aborted on the rows of every group
/// but the last; the last group's assertions are reached by complete files of those architectures, after keys
/// this stand-in lacks (without them llama.cpp stops with a "key not found" error first).
/// </summary>
public sealed class HyperparameterValidationTests
{
    private const string Layers = "llama.block_count";

    public static TheoryData<string, string> MalformedModels() => new()
    {
        // load_hparams (every architecture)
        { $"{Layers}=u32:0", "llama.block_count is 0; llama.cpp supports 1 to 512 layers" },
        { $"{Layers}=u32:2147483647", "llama.block_count is 2147483647; llama.cpp supports 1 to 512 layers" },
        { $"{Layers}=u32:513", "llama.block_count is 513; llama.cpp supports 1 to 512 layers" },
        { "llama.nextn_predict_layers=u32:9", "llama.nextn_predict_layers is 9, more than the 5 layers" },
        { "llama.expert_count=u32:2000", "llama.expert_count is 2000; llama.cpp supports at most 1024 experts" },
        { "llama.expert_used_count=u32:2", "llama.expert_used_count is 2, more than the 0 experts (llama.expert_count)" },
        { "llama.expert_count=u32:8", "llama.expert_used_count is 0 (or missing) while llama.expert_count is 8; a mixture of experts must use at least one" },
        { "llama.expert_count=u32:8 llama.expert_used_count=u32[]:2,2,9,2,2", "llama.expert_used_count is 9, more than the 8 experts (llama.expert_count)" },
        { "llama.expert_group_count=u32:2", "llama.expert_group_count is 2 in a model without experts" },
        { "llama.expert_count=u32:8 llama.expert_used_count=u32:2 llama.expert_group_count=u32:8", "llama.expert_group_count is 8; it must be less than the 8 experts" },
        { "llama.expert_count=u32:8 llama.expert_used_count=u32:2 llama.expert_group_count=u32:3", "llama.expert_count 8 is not divisible by llama.expert_group_count 3" },
        { "llama.expert_count=u32:8 llama.expert_used_count=u32:2 llama.expert_group_count=u32:2", "llama.expert_group_used_count is 0 (or missing) while llama.expert_group_count is 2" },
        { "llama.expert_count=u32:8 llama.expert_used_count=u32:2 llama.expert_group_count=u32:2 llama.expert_group_used_count=u32:2", "llama.expert_group_used_count is 2; it must be less than the 2 expert groups" },
        { "llama.rope.scaling.type=str:bogus", "llama.rope.scaling.type is 'bogus'; llama.cpp knows none, linear, yarn, longrope" },
        // ggml kernels at the first decode
        { "llama.attention.layer_norm_rms_epsilon=f32:-1", "llama.attention.layer_norm_rms_epsilon is -1; it must be a finite number >= 0" },
        { "llama.attention.layer_norm_rms_epsilon=f32:NaN", "llama.attention.layer_norm_rms_epsilon is NaN; it must be a finite number >= 0" },
        { "llama.attention.layer_norm_epsilon=f32:-0.5", "llama.attention.layer_norm_epsilon is -0.5; it must be a finite number >= 0" },
        { "llama.rope.dimension_count=u32:16", "llama.rope.dimension_count is 16, more than the key head size 8 (llama.attention.key_length, or embedding_length / head_count)" },
        { "@arch=qwen2 qwen2.rope.dimension_count=u32:7", "qwen2.rope.dimension_count is 7; rotary embeddings rotate pairs, so it must be even" },
        // graph builders' shape assertions at the first decode
        { "@arch=qwen2 qwen2.rope.dimension_count=u32:6", "qwen2.rope.dimension_count is 6, but the qwen2 architecture rotates whole heads of 8" },
        { "@arch=qwen2 qwen2.attention.key_length=u32:16", "the key head size 16 differs from the value head size 8 (qwen2.attention.key_length, qwen2.attention.value_length); the qwen2 architecture needs them equal" },
        { "llama.attention.head_count_kv=u32[]:4,4,2,4,4", "blk.2.attn_k.weight has 32 outputs, but llama.attention.head_count_kv says layer 2 has 2 heads of 8 (16 outputs)" },
        { "llama.attention.head_count_kv=i32[]:4,4,4,0,4", "blk.3.attn_k.weight has 32 outputs, but llama.attention.head_count_kv says layer 3 has 0 heads of 8 (0 outputs)" },
        { "@arch=minicpm minicpm.attention.head_count=u32[]:8,8,4,8,8", "blk.2.attn_q.weight has 64 outputs, but minicpm.attention.head_count says layer 2 has 4 heads of 8 (32 outputs)" },
        // llama-vocab.cpp
        { "tokenizer.ggml.model=str:none llama.vocab_size=u32:512", "tokenizer.ggml.model is 'none': the model has no vocabulary to tokenize text with" },
        { "tokenizer.ggml.model=str:bert", "tokenizer.ggml.model is 'bert' (WordPiece), which has no byte tokens, but tokenizer.ggml.token_type marks some as bytes" },
        // architectures' own load_arch_hparams
        { "@arch=nanbeige nanbeige.num_loops=u32:0", "nanbeige.num_loops is 0; it must be at least 1" },
        { "@arch=nanbeige nanbeige.num_loops=u32:200", "nanbeige.block_count x nanbeige.num_loops is 1000 layers; llama.cpp allows at most 512" },
        { "@arch=hrm_text hrm_text.hrm.layers_per_stack=u32:1 hrm_text.hrm.h_cycles=u32:1 hrm_text.hrm.l_cycles=u32:1", "hrm_text.block_count is 5, but layers_per_stack x h_cycles x (l_cycles + 1) is 2" },
        { "@arch=minimax-m3 minimax-m3.attention.indexer.block_size=u32:0", "minimax-m3.attention.indexer.block_size is 0; it must be at least 1" },
        { "@arch=gemma-embedding gemma-embedding.dense_2_feat_in=u32:7", "gemma-embedding.dense_2_feat_in is 7; it must be 0 or the embedding length 64" },
        { "@arch=bailingmoe3 bailingmoe3.kda.gate_lower_bound=f32:0", "bailingmoe3.kda.gate_lower_bound is 0; it must be negative" },
        { "@arch=hy_v4 hy_v4.attention.key_length_mla=u32:0 hy_v4.attention.value_length_mla=u32:64", "hy_v4.attention.key_length_mla and hy_v4.attention.value_length_mla must both be at least 1" },
        { "@arch=wavtokenizer-dec wavtokenizer-dec.posnet.block_count=u32:9", "wavtokenizer-dec.posnet.block_count is 9, more than the 5 layers" },
        { "@arch=dflash dflash.hyper_connection.count=u32:4 dflash.attention.output_group_count=u32:0", "dflash.attention.output_group_count is 0; it must be at least 1" },
        { $"@arch=deepseek4 deepseek4.attention.compress_ratios=u32[]:{string.Join(',', Enumerable.Repeat(0, 600))}", "deepseek4.attention.compress_ratios has 600 entries; llama.cpp allows at most 512" },
    };

    [Theory]
    [MemberData(nameof(MalformedModels))]
    public void Load_MalformedHyperparameter_OneLineErrorInsteadOfAbort(string changes, string problem)
    {
        using var temp = new TempDirectory();
        var path = GgufRewriter.Rewrite(GgufTestFiles.Stories260K, temp.File("bad.gguf"), changes);

        var error = Assert.Throws<InvalidModelFileException>(() => LlamaEngine.Load(path, new EngineOptions { ContextSize = 256, MaxSequences = 1 }));

        Assert.Equal(problem, error.Problem);
        Assert.Equal($"Invalid model file '{path}': {problem}", error.Message);
    }

    [Fact]
    public void MalformedModels_HaveDistinctMessages()
    {
        var problems = MalformedModels().Select(row => (string)row[1]).ToList();

        Assert.Equal(problems.Count, problems.Distinct().Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("llama.attention.head_count=u32[]:8,8,8,8,8 llama.attention.head_count_kv=i32[]:4,4,4,4,4")]
    [InlineData("llama.rope.scaling.type=str:yarn llama.attention.layer_norm_rms_epsilon=f32:0")]
    [InlineData("@arch=qwen2")]
    public async Task Load_WellFormedVariation_LoadsAndGeneratesTheGoldenText(string changes)
    {
        using var temp = new TempDirectory();
        var path = GgufRewriter.Rewrite(GgufTestFiles.Stories260K, temp.File("ok.gguf"), changes);
        using var engine = LlamaEngine.Load(path, new EngineOptions { ContextSize = 256, MaxSequences = 1, Threads = 1 });

        var result = await engine.GenerateAsync(new GenerationRequest { Prompt = "Once upon a time", MaxTokens = 4, Sampling = SamplerSettings.Greedy });

        Assert.Equal(", there was a", result.Samples[0].Text);
    }

    public static TheoryData<string> VocabularyFilesOfRealFamilies() =>
        new(Directory.GetFiles(Path.Combine(LlamaSource.Directory, "models"), "ggml-vocab-*.gguf").Select(Path.GetFileName)!);

    /// <summary>The vocabulary-only GGUFs of real model families carry those families' real hyperparameters.</summary>
    [Theory]
    [MemberData(nameof(VocabularyFilesOfRealFamilies))]
    public void Validate_RealFamilyHyperparameters_Accepted(string file)
    {
        GgufValidator.Validate(Path.Combine(LlamaSource.Directory, "models", file));
    }
}

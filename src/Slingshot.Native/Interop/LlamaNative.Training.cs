using System.Runtime.InteropServices;
using Slingshot.Native.Handles;

namespace Slingshot.Native.Interop;

// Training: llama.cpp's llama_opt_* over ggml-opt (ggml-opt.h). Every GGML_ASSERT these functions reach
// (empty dataset, datapoint size, split index, labels outside the vocabulary, learning rate, betas, weight
// decay, a second init) is checked by the managed trainer before the call.
internal static unsafe partial class LlamaNative
{
    /// <summary>Marks the context's model tensors that pass the filter (F32 only, never token_embd) as trainable
    /// and creates the optimizer. Asserts when called twice on one context.</summary>
    [LibraryImport(Llama)]
    public static partial void llama_opt_init(SafeLlamaContextHandle context, SafeLlamaModelHandle model, LlamaOptParams parameters);

    /// <summary>Trains on datapoints [0, idataSplit) and evaluates [idataSplit, ndata); callbacks run after every ubatch.</summary>
    [LibraryImport(Llama)]
    public static partial void llama_opt_epoch(SafeLlamaContextHandle context, nint dataset, nint resultTrain, nint resultEval, long idataSplit,
        delegate* unmanaged[Cdecl]<byte, nint, nint, nint, long, long, long, void> callbackTrain,
        delegate* unmanaged[Cdecl]<byte, nint, nint, nint, long, long, long, void> callbackEval);

    /// <summary>Writes the model, with its current weights, as GGUF.</summary>
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void llama_model_save_to_file(SafeLlamaModelHandle model, string pathModel);

    /// <summary>A dataset of <paramref name="ndata"/> datapoints; asserts unless every size is positive.</summary>
    [LibraryImport(GgmlBase)]
    public static partial nint ggml_opt_dataset_init(int typeData, int typeLabel, long neDatapoint, long neLabel, long ndata, long ndataShard);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_opt_dataset_free(nint dataset);

    [LibraryImport(GgmlBase)]
    public static partial long ggml_opt_dataset_ndata(nint dataset);

    /// <summary>The data tensor, shape [ne_datapoint, ndata], in a CPU buffer.</summary>
    [LibraryImport(GgmlBase)]
    public static partial GgmlTensor* ggml_opt_dataset_data(nint dataset);

    /// <summary>The labels tensor, shape [ne_label, ndata], in a CPU buffer; NULL without labels.</summary>
    [LibraryImport(GgmlBase)]
    public static partial GgmlTensor* ggml_opt_dataset_labels(nint dataset);

    [LibraryImport(GgmlBase)]
    public static partial nint ggml_opt_result_init();

    [LibraryImport(GgmlBase)]
    public static partial void ggml_opt_result_free(nint result);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_opt_result_reset(nint result);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_opt_result_ndata(nint result, long* ndata);

    /// <summary>Mean loss per datapoint; <paramref name="uncertainty"/> must not be NULL here (the bindings always pass one).</summary>
    [LibraryImport(GgmlBase)]
    public static partial void ggml_opt_result_loss(nint result, double* loss, double* uncertainty);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_opt_result_accuracy(nint result, double* accuracy, double* uncertainty);

    [LibraryImport(GgmlBase)]
    public static partial byte* ggml_opt_optimizer_name(int optimizerType);

    /// <summary>Iterates the tensors of a ggml context (the optimizer's static context holds gradients and moments).</summary>
    [LibraryImport(GgmlBase)]
    public static partial GgmlTensor* ggml_get_first_tensor(nint context);

    [LibraryImport(GgmlBase)]
    public static partial GgmlTensor* ggml_get_next_tensor(nint context, GgmlTensor* tensor);

    [LibraryImport(GgmlBase)]
    public static partial nuint ggml_nbytes(GgmlTensor* tensor);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_backend_tensor_get(GgmlTensor* tensor, void* data, nuint offset, nuint size);

    [LibraryImport(GgmlBase)]
    public static partial void ggml_backend_tensor_set(GgmlTensor* tensor, void* data, nuint offset, nuint size);
}

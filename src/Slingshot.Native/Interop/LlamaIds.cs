namespace Slingshot.Native.Interop;

/// <summary>A token id of the model's vocabulary (llama_token).</summary>
internal readonly record struct LlamaToken(int Value)
{
    public static readonly LlamaToken Null = new(-1);
    public bool IsNull => Value < 0;
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A position within a sequence (llama_pos).</summary>
internal readonly record struct LlamaPos(int Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A sequence id within a context (llama_seq_id).</summary>
internal readonly record struct LlamaSeqId(int Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

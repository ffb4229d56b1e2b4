namespace Slingshot;

/// <summary>How a model file is loaded.</summary>
public sealed record ModelOptions
{
    /// <summary>Layers to offload to a GPU when the loaded llama.cpp build has one (0 = CPU only, -1 = all).</summary>
    public int GpuLayers { get; init; }

    /// <summary>Memory-map the file instead of reading it (default true: loads instantly, shares pages).</summary>
    public bool UseMemoryMap { get; init; } = true;
}

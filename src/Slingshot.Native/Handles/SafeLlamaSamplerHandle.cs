using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Handles;

/// <summary>Owns a sampler chain; samplers added to it are owned by the chain and freed with it.</summary>
internal sealed class SafeLlamaSamplerHandle : SafeHandle
{
    public SafeLlamaSamplerHandle() : base(nint.Zero, ownsHandle: true) { }

    private SafeLlamaSamplerHandle(nint handle) : base(nint.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>Creates an empty chain.</summary>
    public static SafeLlamaSamplerHandle CreateChain()
    {
        var parameters = LlamaNative.llama_sampler_chain_default_params();
        parameters.NoPerf = true;
        var chain = LlamaNative.llama_sampler_chain_init(parameters);
        if (chain == nint.Zero)
        {
            throw new InvalidOperationException("llama.cpp could not create a sampler chain.");
        }
        return new SafeLlamaSamplerHandle(chain);
    }

    /// <summary>Adds a sampler, transferring its ownership to the chain.</summary>
    public void Add(nint sampler, string what)
    {
        if (sampler == nint.Zero)
        {
            throw new ArgumentException($"llama.cpp rejected the {what} sampler.");
        }
        LlamaNative.llama_sampler_chain_add(this, sampler);
    }

    protected override bool ReleaseHandle()
    {
        LlamaNative.llama_sampler_free(handle);
        return true;
    }
}

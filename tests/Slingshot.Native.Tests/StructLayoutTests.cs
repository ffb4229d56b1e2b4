using System.Reflection;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Tests;

/// <summary>
/// The C# mirrors in LlamaStructs.cs against the pinned llama.h as a C compiler lays it out (see
/// <see cref="CAbiProbe"/>), and the bytes of the default parameters as the C# bindings receive them against
/// those a C caller receives.
/// </summary>
public sealed class StructLayoutTests
{
    public static TheoryData<string> Structs => new(StructMirrors.All.Select(m => m.CName));

    public static TheoryData<string> DefaultFunctions => new(StructMirrors.Defaults.Select(d => d.Function));

    [Theory]
    [MemberData(nameof(Structs))]
    public void FieldTable_Struct_CoversEveryHeaderAndCSharpField(string cStruct)
    {
        var mirror = StructMirrors.Get(cStruct);
        var problems = new List<string>();

        var headerFields = PinnedHeaders.StructFields(cStruct);
        var tableFields = mirror.Fields.Select(f => f.CName).ToList();
        if (!headerFields.SequenceEqual(tableFields))
        {
            problems.Add($"llama.h declares [{string.Join(", ", headerFields)}] but the table maps [{string.Join(", ", tableFields)}]" +
                Difference("only in llama.h", headerFields.Except(tableFields)) + Difference("only in the table", tableFields.Except(headerFields)));
        }

        var csFields = mirror.Type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name).ToList();
        var mapped = mirror.Fields.Select(f => f.CsName).ToList();
        if (!csFields.Order().SequenceEqual(mapped.Order()))
        {
            problems.Add($"{mirror.Type.Name} has fields the table does not map or the table maps fields it lacks" +
                Difference("unmapped C# fields", csFields.Except(mapped)) + Difference("missing C# fields", mapped.Except(csFields)) +
                Difference("C# fields mapped twice", mapped.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key)));
        }

        Assert.True(problems.Count == 0, $"struct {cStruct} / {mirror.Type.Name}:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void Layout_Struct_MatchesCompiledHeader(string cStruct)
    {
        var mirror = StructMirrors.Get(cStruct);
        var c = CAbiProbe.Get().Structs[cStruct];
        var problems = new List<string>();

        if (c.Size != mirror.Size)
        {
            problems.Add($"sizeof: C {c.Size}, C# {mirror.Size}");
        }
        if (c.Alignment != mirror.Alignment)
        {
            problems.Add($"alignment: C {c.Alignment}, C# {mirror.Alignment}");
        }
        foreach (var f in mirror.Fields)
        {
            var (offset, size) = c.Fields[f.CName];
            if (offset != f.Offset)
            {
                problems.Add($"field {f.CName} ({mirror.Type.Name}.{f.CsName}): offset C {offset}, C# {f.Offset}");
            }
            if (size != f.Size)
            {
                problems.Add($"field {f.CName} ({mirror.Type.Name}.{f.CsName}): size C {size}, C# {f.Size}");
            }
        }

        Assert.True(problems.Count == 0, $"struct {cStruct} / {mirror.Type.Name} differs from the pinned llama.h:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void Layout_IdTypes_MatchCompiledTypedefs()
    {
        var c = CAbiProbe.Get().Scalars;
        var problems = StructMirrors.Scalars
            .Where(t => c[t.CName] != t.Size)
            .Select(t => $"{t.CName} ({t.Type.Name}): sizeof C {c[t.CName]}, C# {t.Size}")
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void FieldTable_InteropNamespace_CoversEveryStruct()
    {
        var mirrored = StructMirrors.All.Select(m => m.Type).Concat(StructMirrors.Scalars.Select(s => s.Type)).ToHashSet();
        var unmirrored = typeof(LlamaBatch).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(LlamaBatch).Namespace && t.IsValueType && !t.IsEnum && !t.IsNested)
            .Where(t => !mirrored.Contains(t))
            .Select(t => t.Name)
            .ToList();
        Assert.True(unmirrored.Count == 0, $"structs in {typeof(LlamaBatch).Namespace} without an ABI table entry: {string.Join(", ", unmirrored)}");
    }

    [Theory]
    [MemberData(nameof(DefaultFunctions))]
    public void DefaultParams_ThroughBindings_MatchCResultFieldByField(string function)
    {
        LlamaLibrary.EnsureLoaded();
        var defaults = StructMirrors.Defaults.Single(d => d.Function == function);
        var mirror = StructMirrors.Get(defaults.CStruct);
        var c = CAbiProbe.Get();
        var cLayout = c.Structs[defaults.CStruct];
        var cBytes = c.Defaults[function];
        var csBytes = defaults.Call();

        // Only the bytes of fields are compared: padding is whatever the callee's stack held, on either side.
        // Each side is read with its own offsets, so a layout difference shows up as differing values too.
        var problems = new List<string>();
        if (cBytes.Length != csBytes.Length)
        {
            problems.Add($"result size: C {cBytes.Length} bytes, C# {csBytes.Length} bytes");
        }
        foreach (var f in mirror.Fields)
        {
            var (cOffset, cSize) = cLayout.Fields[f.CName];
            var cValue = Slice(cBytes, cOffset, cSize);
            var csValue = Slice(csBytes, f.Offset, f.Size);
            if (cValue != csValue)
            {
                problems.Add($"field {f.CName} ({mirror.Type.Name}.{f.CsName}): C {cValue}, C# {csValue}");
            }
        }

        Assert.True(problems.Count == 0,
            $"{function}() through the C# binding differs from a C caller's result (bytes little-endian hex):\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void DefaultParams_ContextParams_HaveTheDocumentedValues()
    {
        // Anchors the byte comparison to known values, so it cannot pass by comparing two zeroed buffers.
        LlamaLibrary.EnsureLoaded();
        var ctx = LlamaNative.llama_context_default_params();
        var model = LlamaNative.llama_model_default_params();

        Assert.Equal((512u, 2048u, 512u, 1u), (ctx.NCtx, ctx.NBatch, ctx.NUbatch, ctx.NSeqMax));
        Assert.Equal(-1, ctx.FlashAttnType);
        Assert.Equal((true, true, true, true, false), (ctx.OffloadKqv, ctx.NoPerf, ctx.OpOffload, ctx.SwaFull, ctx.KvUnified));
        Assert.Equal((nint.Zero, 0u, nint.Zero), (ctx.Samplers, (uint)ctx.NSamplers, ctx.CtxOther));
        Assert.Equal(-1, model.NGpuLayers);
        Assert.Equal((true, false), (model.UseExtraBufts, model.LoadMtp));
    }

    private static string Slice(byte[] bytes, int offset, int size) =>
        offset + size <= bytes.Length ? Convert.ToHexString(bytes, offset, size) : $"<outside the {bytes.Length}-byte result>";

    private static string Difference(string label, IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "" : $"; {label}: {string.Join(", ", list)}";
    }
}

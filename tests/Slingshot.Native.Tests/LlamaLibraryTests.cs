using System.Runtime.InteropServices;
using Slingshot.Native.Interop;

namespace Slingshot.Native.Tests;

/// <summary>
/// The loader against the provisioned build. The loader runs once per process, so its failure paths
/// (missing folder, wrong version, unknown CPU variant) are covered by the CLI tests in separate processes.
/// </summary>
public sealed class LlamaLibraryTests
{
    [Fact]
    public void EnsureLoaded_ProvisionedBuild_ReportsPinnedVersion()
    {
        var info = LlamaLibrary.EnsureLoaded();

        Assert.Equal("0.5.0-dev", info.Version);
        Assert.Equal(LlamaLibrary.ExpectedVersion, info.Version);
        unsafe
        {
            Assert.Equal("0.5.0-dev", LlamaNative.ReadString(LlamaNative.llama_version()));
        }
        Assert.Equal(LlamaLibrary.ResolveDirectory(), info.Directory);
        Assert.True(File.Exists(info.LibraryPath), info.LibraryPath);
        Assert.True(LlamaLibrary.IsLoaded);
    }

    [Fact]
    public void EnsureLoaded_ProvisionedBuild_ChoosesAnAvailableCpuVariant()
    {
        var info = LlamaLibrary.EnsureLoaded();

        Assert.NotEmpty(info.AvailableCpuVariants);
        Assert.Contains("x64", info.AvailableCpuVariants);
        Assert.NotNull(info.CpuVariant);
        Assert.Contains(info.CpuVariant, info.AvailableCpuVariants);
    }

    [Fact]
    public void EnsureLoaded_ProvisionedBuild_ReportsSystemInfoAndDevices()
    {
        var info = LlamaLibrary.EnsureLoaded();

        Assert.False(string.IsNullOrWhiteSpace(info.SystemInfo));
        Assert.NotEmpty(info.Devices);
        Assert.All(info.Devices, d => Assert.False(string.IsNullOrWhiteSpace(d)));
        Assert.Contains(info.Devices, d => d.StartsWith("CPU", StringComparison.Ordinal));
    }

    [Fact]
    public void EnsureLoaded_SecondCall_ReturnsTheSameInfo()
    {
        var first = LlamaLibrary.EnsureLoaded();
        var second = LlamaLibrary.EnsureLoaded(new LlamaLibraryOptions { CpuVariant = "x64" }); // options of later calls are ignored

        Assert.Same(first, second);
    }

    [Fact]
    public void RequiredExports_Bindings_AreDistinctAndResolveInTheLoadedLibraries()
    {
        var info = LlamaLibrary.EnsureLoaded();
        var exports = LlamaLibrary.RequiredExports().ToList();

        Assert.Equal(exports.Count, exports.Select(e => e.Name).Distinct().Count());
        var handle = NativeLibrary.Load(info.LibraryPath); // the already loaded libllama; its dependencies include ggml
        var missing = exports.Where(e => !NativeLibrary.TryGetExport(handle, e.Name, out _)).Select(e => e.Name).ToList();
        Assert.True(missing.Count == 0, $"not exported: {string.Join(", ", missing)}");
    }

    // LlamaLog's callback is private, but it is what the public C API hands back from llama_log_get once
    // the loader installed it: calling that pointer is exactly the path llama.cpp takes.

    [Fact]
    public void LlamaLog_ContinuationPieces_AreJoinedIntoOneLine()
    {
        var lines = Collect(log =>
        {
            log(GgmlLogLevel.Info, "slingshot-test-a first part, ");
            log(GgmlLogLevel.Cont, "second part, ");
            log(GgmlLogLevel.Cont, "last part\n");
        });

        Assert.Equal([(GgmlLogLevel.Info, "slingshot-test-a first part, second part, last part")], lines);
    }

    [Fact]
    public void LlamaLog_SeveralNewlinesInOneCall_AreSplitIntoLines()
    {
        var lines = Collect(log => log(GgmlLogLevel.Warn, "slingshot-test-b one\nslingshot-test-b two\n\nslingshot-test-b three\n"));

        Assert.Equal(
            [(GgmlLogLevel.Warn, "slingshot-test-b one"), (GgmlLogLevel.Warn, "slingshot-test-b two"), (GgmlLogLevel.Warn, "slingshot-test-b three")],
            lines);
    }

    [Fact]
    public void LlamaLog_UnterminatedLine_IsFlushedByTheNextLevel()
    {
        var lines = Collect(log =>
        {
            log(GgmlLogLevel.Info, "slingshot-test-c no newline");
            log(GgmlLogLevel.Error, "slingshot-test-c error\n");
        });

        Assert.Equal([(GgmlLogLevel.Info, "slingshot-test-c no newline"), (GgmlLogLevel.Error, "slingshot-test-c error")], lines);
    }

    [Fact]
    public void LlamaLog_CaptureScope_KeepsWarningsAndErrorsAsReason()
    {
        string reason;
        using (var capture = LlamaLog.Capture())
        {
            Collect(log =>
            {
                log(GgmlLogLevel.Info, "slingshot-test-d info\n");
                log(GgmlLogLevel.Warn, "slingshot-test-d warn ");
                log(GgmlLogLevel.Cont, "continued\n");
                log(GgmlLogLevel.Error, "slingshot-test-d error\n");
            });
            reason = capture.Reason();
        }

        Assert.Equal("slingshot-test-d warn continued; slingshot-test-d error", reason);
    }

    /// <summary>Feeds text to the installed native log callback on this thread; returns the lines it emitted.</summary>
    private static unsafe List<(GgmlLogLevel Level, string Text)> Collect(Action<Action<GgmlLogLevel, string>> send)
    {
        var info = LlamaLibrary.EnsureLoaded();
        var logGet = (delegate* unmanaged[Cdecl]<nint*, void**, void>)NativeLibrary.GetExport(NativeLibrary.Load(info.LibraryPath), "llama_log_get");
        nint callbackAddress;
        void* installedUserData;
        logGet(&callbackAddress, &installedUserData);
        var userData = (nint)installedUserData;
        Assert.NotEqual(nint.Zero, callbackAddress);
        var callback = (delegate* unmanaged[Cdecl]<GgmlLogLevel, byte*, void*, void>)callbackAddress;

        var thread = Environment.CurrentManagedThreadId;
        var lines = new List<(GgmlLogLevel, string)>();
        void OnLine(GgmlLogLevel level, string text)
        {
            if (Environment.CurrentManagedThreadId == thread && text.Contains("slingshot-test-", StringComparison.Ordinal))
            {
                lines.Add((level, text));
            }
        }

        LlamaLog.LineLogged += OnLine;
        try
        {
            send((level, text) =>
            {
                var utf8 = Marshal.StringToCoTaskMemUTF8(text);
                try
                {
                    callback(level, (byte*)utf8, (void*)userData);
                }
                finally
                {
                    Marshal.FreeCoTaskMem(utf8);
                }
            });
        }
        finally
        {
            LlamaLog.LineLogged -= OnLine;
        }
        return lines;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Slingshot.Native.Interop;

namespace Slingshot.Native;

/// <summary>
/// Routes llama.cpp's and ggml's log to an <see cref="ILogger"/>. The C side delivers partial lines
/// (level CONT continues the previous one), so text is buffered per thread up to the newline. Failures in
/// llama.cpp come back as NULL or an error code with the reason only in the log, so lines logged on a
/// thread inside a <see cref="Capture"/> scope are kept for the exception message.
/// </summary>
internal static unsafe class LlamaLog
{
    private static ILogger s_logger = NullLogger.Instance;

    [ThreadStatic] private static StringBuilder? t_partial;
    [ThreadStatic] private static GgmlLogLevel t_partialLevel;
    [ThreadStatic] private static List<(GgmlLogLevel Level, string Text)>? t_captured;

    /// <summary>Lines that every thread logged, for start-up diagnostics (which CPU variant loaded).</summary>
    internal static event Action<GgmlLogLevel, string>? LineLogged;

    public static ILoggerFactory LoggerFactory
    {
        set => s_logger = value.CreateLogger("Slingshot.LlamaCpp");
    }

    public static void Install()
    {
        LlamaNative.llama_log_set(&OnLog, null);
        LlamaNative.ggml_log_set(&OnLog, null);
    }

    /// <summary>Logs a line of Slingshot's own about the native layer (what was loaded, from where).</summary>
    public static void Information(string message) => s_logger.LogInformation("{Message}", message);

    /// <summary>Logs a warning of Slingshot's own about what was loaded (a chat template that cannot render).</summary>
    public static void Warning(string message) => s_logger.LogWarning("{Message}", message);

    /// <summary>Begins keeping the lines this thread logs; dispose to stop.</summary>
    public static CaptureScope Capture() => new();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(GgmlLogLevel level, byte* text, void* userData)
    {
        // No exception may escape into native code.
        try
        {
            Append(level, LlamaNative.ReadString(text) ?? string.Empty);
        }
        catch
        {
            // Logging must never take the process down.
        }
    }

    private static void Append(GgmlLogLevel level, string text)
    {
        var partial = t_partial ??= new StringBuilder();
        if (level != GgmlLogLevel.Cont)
        {
            if (partial.Length > 0)
            {
                Emit(t_partialLevel, partial.ToString());
                partial.Clear();
            }
            t_partialLevel = level;
        }

        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\n')
            {
                continue;
            }
            partial.Append(text, start, i - start);
            Emit(t_partialLevel, partial.ToString());
            partial.Clear();
            start = i + 1;
        }
        partial.Append(text, start, text.Length - start);
    }

    private static void Emit(GgmlLogLevel level, string line)
    {
        if (line.Length == 0)
        {
            return;
        }
        t_captured?.Add((level, line));
        LineLogged?.Invoke(level, line);
        var logLevel = level switch
        {
            GgmlLogLevel.Error => LogLevel.Error,
            GgmlLogLevel.Warn => LogLevel.Warning,
            GgmlLogLevel.Info => LogLevel.Debug,
            _ => LogLevel.Trace,
        };
        if (s_logger.IsEnabled(logLevel))
        {
            s_logger.Log(logLevel, "{Line}", line);
        }
    }

    /// <summary>The lines logged on one thread between its creation and disposal.</summary>
    internal sealed class CaptureScope : IDisposable
    {
        private readonly List<(GgmlLogLevel Level, string Text)>? _previous;
        private readonly List<(GgmlLogLevel Level, string Text)> _lines = [];

        internal CaptureScope()
        {
            _previous = t_captured;
            t_captured = _lines;
        }

        /// <summary>The warnings and errors logged, joined into one line (empty when none).</summary>
        public string Reason()
        {
            var reasons = _lines.Where(l => l.Level is GgmlLogLevel.Error or GgmlLogLevel.Warn)
                .Select(l => l.Text.Trim())
                .Where(t => t.Length > 0)
                .Distinct()
                .TakeLast(3);
            return string.Join("; ", reasons);
        }

        /// <summary>The reason for an exception message: <see cref="Reason"/>, or a note that the log gave none.</summary>
        public string Explain()
        {
            var reason = Reason();
            return reason.Length > 0 ? reason : "llama.cpp logged no reason";
        }

        public void Dispose() => t_captured = _previous;
    }
}

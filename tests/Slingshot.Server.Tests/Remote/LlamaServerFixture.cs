using System.Diagnostics;
using Slingshot.Server.Tests.Support;

namespace Slingshot.Server.Tests.Remote;

/// <summary>
/// llama.cpp's own llama-server over the shared stories260K model (one thread, two slots, so it accepts n of at
/// most 2), started once for a test class. It exists only where bench/build-llama-server.sh has built it (CI does not):
/// without it <see cref="Url"/> is null and <see cref="Missing"/> says why.
/// </summary>
public sealed class LlamaServerFixture : IAsyncLifetime
{
    /// <summary>Slots the server runs with; it rejects a larger n.</summary>
    public const int Slots = 2;

    private Process? _process;

    /// <summary>Where bench/build-llama-server.sh puts the executable.</summary>
    public static string Executable => Path.Combine(TestPaths.RepoRoot, "artifacts", "llama-server", "build", "bin", "llama-server");

    /// <summary>Base URL of its OpenAI-compatible API (ends in /v1), or null when the executable is absent.</summary>
    public string? Url { get; private set; }

    /// <summary>Why there is no server, for the test output.</summary>
    public string Missing => $"llama-server is not built at {Executable} (run bench/build-llama-server.sh); the llama-server test did nothing.";

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            return;
        }
        var port = ServerFixture.FreePort();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-m", TestPaths.Stories260K, "-a", ServerFixture.Model, "-t", "1", "-tb", "1", "-np", Slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "1024", "--no-webui", "--chat-template", "chatml", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }
        // The build's RUNPATH names the folder it was built in; its libraries lie beside it.
        start.Environment["LD_LIBRARY_PATH"] = Path.GetDirectoryName(Executable);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start.");
        var output = new System.Text.StringBuilder();
        _process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                break;
            }
            try
            {
                using var health = await http.GetAsync($"http://127.0.0.1:{port}/health");
                if (health.IsSuccessStatusCode)
                {
                    Url = $"http://127.0.0.1:{port}/v1";
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        string log;
        lock (output)
        {
            log = output.ToString();
        }
        await DisposeAsync();
        throw new InvalidOperationException($"llama-server did not become healthy within 60 s:\n{log}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }
}

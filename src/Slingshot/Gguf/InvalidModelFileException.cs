namespace Slingshot;

/// <summary>
/// A model file that cannot safely be handed to llama.cpp: missing, not GGUF, truncated, malformed or of an
/// architecture the pinned build does not know. Raised by managed checks before native code sees the file,
/// because llama.cpp answers many malformed files with a process-killing assertion instead of an error.
/// </summary>
public sealed class InvalidModelFileException : SlingshotException
{
    /// <summary>Creates the exception; the message is one line naming the path and the problem.</summary>
    public InvalidModelFileException(string path, string problem, Exception? innerException = null)
        : base($"Invalid model file '{path}': {problem}", innerException)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file that was rejected.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with it, without the path (for example "file is empty").</summary>
    public string Problem { get; }
}

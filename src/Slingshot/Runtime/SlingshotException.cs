namespace Slingshot;

/// <summary>A failure Slingshot can explain in one line: bad input, a missing file, a native error with its reason.</summary>
public class SlingshotException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SlingshotException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public SlingshotException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>
/// A request refused for what it asks (a conversation the chat template refuses, text too long to tokenize, a prompt
/// that does not fit): the caller can fix it, nothing failed. Any other <see cref="SlingshotException"/> raised while
/// answering is a failure of the engine or the native library, which a server reports as its own error.
/// </summary>
public class InvalidRequestException : SlingshotException
{
    /// <summary>Creates the exception; <paramref name="param"/> names the part of the request at fault, when one is.</summary>
    public InvalidRequestException(string message, string? param = null, Exception? inner = null) : base(message, inner) => Param = param;

    /// <summary>The part of the request at fault ("messages", "prompt", "tools", ...), or null.</summary>
    public string? Param { get; }
}

/// <summary>The prompt (plus what the request asks to generate) does not fit the context.</summary>
public sealed class ContextLengthExceededException : InvalidRequestException
{
    /// <summary>Creates the exception.</summary>
    public ContextLengthExceededException(string message) : base(message) { }
}

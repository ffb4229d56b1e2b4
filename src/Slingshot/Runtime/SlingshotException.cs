namespace Slingshot;

/// <summary>A failure Slingshot can explain in one line: bad input, a missing file, a native error with its reason.</summary>
public class SlingshotException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SlingshotException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public SlingshotException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The prompt (plus what the request asks to generate) does not fit the context.</summary>
public sealed class ContextLengthExceededException : SlingshotException
{
    /// <summary>Creates the exception.</summary>
    public ContextLengthExceededException(string message) : base(message) { }
}

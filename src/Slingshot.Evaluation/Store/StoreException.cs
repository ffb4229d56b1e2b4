namespace Slingshot.Evaluation.Store;

/// <summary>A store that cannot be opened or a request that contradicts what it holds; the message is one line for the user.</summary>
public sealed class StoreException : SlingshotException
{
    /// <summary>Creates the exception.</summary>
    public StoreException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

using Slingshot.Native.Interop;

namespace Slingshot.Gguf;

/// <summary>
/// The check every model path passes before anything opens it. Opening a FIFO for reading blocks until a writer
/// appears (forever, for a command given one by mistake), and a device or a socket is no model either, so the
/// file's type is read first and anything but a regular file is refused with a one-line error.
/// </summary>
public static class ModelFilePath
{
    /// <summary>
    /// Throws a one-line <see cref="InvalidModelFileException"/> unless <paramref name="path"/> names an existing
    /// regular file (symbolic links followed). Never opens the path.
    /// </summary>
    public static void EnsureRegularFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? problem = LibcNative.GetFileKind(path) switch
        {
            FileKind.Regular => null,
            FileKind.Missing => "file not found",
            FileKind.Directory => "is a directory, not a file",
            FileKind.Fifo => "is a FIFO (named pipe), not a regular file",
            FileKind.CharacterDevice => "is a character device, not a regular file",
            FileKind.BlockDevice => "is a block device, not a regular file",
            FileKind.Socket => "is a socket, not a regular file",
            // The type could not be read (not Linux): what .NET can tell.
            _ => Directory.Exists(path) ? "is a directory, not a file" : File.Exists(path) ? null : "file not found",
        };
        if (problem is not null)
        {
            throw new InvalidModelFileException(path, problem);
        }
    }
}

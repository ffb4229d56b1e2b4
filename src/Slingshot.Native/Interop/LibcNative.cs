using System.Runtime.InteropServices;

namespace Slingshot.Native.Interop;

/// <summary>What a path names, as far as opening it for reading is concerned.</summary>
internal enum FileKind
{
    /// <summary>Not known (not Linux, or statx failed for another reason than a missing path).</summary>
    Unknown,
    /// <summary>Nothing at that path.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A FIFO (named pipe): opening it for reading blocks until a writer appears.</summary>
    Fifo,
    /// <summary>A character device (/dev/zero, a terminal): reading it may never end.</summary>
    CharacterDevice,
    /// <summary>A block device.</summary>
    BlockDevice,
    /// <summary>A Unix domain socket, which cannot be opened as a file.</summary>
    Socket,
}

/// <summary>
/// The one libc call .NET does not offer: the file type of a path. <c>FileInfo</c> reports a FIFO or a device as an
/// ordinary file, and opening a FIFO blocks forever, so the type must be known before anything opens the path.
/// </summary>
internal static unsafe partial class LibcNative
{
    private const string Libc = "libc.so.6";
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    // struct statx has the same layout on every Linux architecture: stx_mask (u32), stx_blksize (u32),
    // stx_attributes (u64), stx_nlink (u32), stx_uid (u32), stx_gid (u32), stx_mode (u16) at byte 28; 256 bytes in all.
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;

    [LibraryImport(Libc, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>The kind of file <paramref name="path"/> names, following symbolic links; never opens it.</summary>
    public static FileKind GetFileKind(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return FileKind.Unknown;
        }
        byte* buffer = stackalloc byte[StatxSize];
        int rc;
        try
        {
            rc = statx(AtFdCwd, path, 0, StatxType, buffer);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return FileKind.Unknown; // a libc without statx (before glibc 2.28): the caller's other checks apply
        }
        if (rc != 0)
        {
            return Marshal.GetLastSystemError() is ENOENT or ENOTDIR ? FileKind.Missing : FileKind.Unknown;
        }
        var mode = *(ushort*)(buffer + StatxModeOffset) & 0xF000;
        return mode switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Unknown,
        };
    }
}

using System.Text;

namespace Slingshot.Strategies.Sandbox;

/// <summary>
/// A fresh temporary folder holding one program file, deleted on dispose. Each run gets its own, so any
/// number of programs can run at once without seeing each other's files. Its name records this process
/// (see <see cref="StaleWorkspaces"/>), and the first workspace a process makes clears away those of
/// processes that died before they could delete theirs.
/// </summary>
internal sealed class SandboxWorkspace : IDisposable
{
    /// <summary>The name the program file has inside the workspace.</summary>
    public const string ProgramFileName = "prog.py";

    private SandboxWorkspace(string directoryPath)
    {
        DirectoryPath = directoryPath;
    }

    /// <summary>The workspace folder on the host.</summary>
    public string DirectoryPath { get; }

    /// <summary>The program file on the host.</summary>
    public string ProgramPath => Path.Combine(DirectoryPath, ProgramFileName);

    /// <summary>
    /// Creates a workspace under the system temporary folder and writes <paramref name="program"/> into it.
    /// </summary>
    /// <param name="program">The Python source.</param>
    /// <param name="readableByEveryone">
    /// Open the folder and file for reading to other users: the sandbox runs the program as an unprivileged
    /// user that must be able to read it, but never write it.
    /// </param>
    public static SandboxWorkspace Create(string program, bool readableByEveryone)
    {
        StaleWorkspaces.RemoveOnce(Path.GetTempPath());
        var directory = Directory.CreateTempSubdirectory(StaleWorkspaces.NamePrefix);
        var workspace = new SandboxWorkspace(directory.FullName);
        try
        {
            File.WriteAllText(workspace.ProgramPath, program, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            if (readableByEveryone && !OperatingSystem.IsWindows())
            {
                const UnixFileMode ReadAll = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
                const UnixFileMode EnterAll = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
                File.SetUnixFileMode(directory.FullName, ReadAll | EnterAll | UnixFileMode.UserWrite);
                File.SetUnixFileMode(workspace.ProgramPath, ReadAll | UnixFileMode.UserWrite);
            }
            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>Writes another file into the workspace (readable like the program) and returns its host path.</summary>
    public string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(DirectoryPath, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Deletes the folder and whatever the program left in it; a folder that resists is left behind rather than failing the run.</summary>
    public void Dispose() => DeleteTree(DirectoryPath);

    /// <summary>Deletes <paramref name="path"/> and everything under it, as far as it can.</summary>
    internal static void DeleteTree(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A program run without isolation may have made folders it cannot be deleted from; open them and retry once.
            if (MakeWritable(path))
            {
                try
                {
                    Directory.Delete(path, recursive: true);
                }
                catch (Exception retry) when (retry is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
    }

    private static bool MakeWritable(string root)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(root))
        {
            return false;
        }
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).Prepend(root))
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

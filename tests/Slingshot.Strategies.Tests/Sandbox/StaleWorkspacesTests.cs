using System.Diagnostics;
using Slingshot.Strategies.Sandbox;

namespace Slingshot.Strategies.Tests.Sandbox;

/// <summary>Workspaces left behind by a grader that was killed are cleared at the next start; nobody else's are touched.</summary>
public sealed class StaleWorkspacesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("slingshot-stale-test-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [LinuxFact]
    public async Task Remove_WorkspaceOfAKilledProcess_IsDeleted_WhileLiveAndForeignOnesStay()
    {
        using var victim = Process.Start(new ProcessStartInfo("/usr/bin/sleep", ["60"]))!;
        var victimOwner = StaleWorkspaces.OwnerOf(victim.Id)!;
        victim.Kill();
        await victim.WaitForExitAsync();
        var dead = Workspace($"{StaleWorkspaces.Prefix}{victimOwner}-abc123");
        var live = Workspace($"{StaleWorkspaces.NamePrefix}def456");
        var oldStyle = Workspace($"{StaleWorkspaces.Prefix}xyz789");
        var otherNamespace = Workspace($"{StaleWorkspaces.Prefix}1-{victim.Id}-1-ghi012");
        var notOurs = Workspace($"slingshot-other-{victimOwner}-jkl345");

        var removed = StaleWorkspaces.Remove(root);

        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(dead));
        Assert.All(new[] { live, oldStyle, otherNamespace, notOurs }, folder => Assert.True(Directory.Exists(folder), folder));
    }

    [LinuxFact]
    public void Remove_ProcessIdReusedByAnotherProcess_CountsAsGone()
    {
        // Our own id with a start time that is not ours: the owner that made it is gone, whoever holds the id now.
        var parts = StaleWorkspaces.OwnerOf(Environment.ProcessId)!.Split('-');
        var reused = Workspace($"{StaleWorkspaces.Prefix}{parts[0]}-{parts[1]}-{long.Parse(parts[2]) + 1}-mno678");

        Assert.Equal(1, StaleWorkspaces.Remove(root));
        Assert.False(Directory.Exists(reused));
    }

    [LinuxFact]
    public void Remove_LinkNamedLikeADeadWorkspace_IsNotFollowed()
    {
        var target = Workspace("precious");
        var parts = StaleWorkspaces.OwnerOf(Environment.ProcessId)!.Split('-');
        var link = Path.Combine(root, $"{StaleWorkspaces.Prefix}{parts[0]}-{parts[1]}-{long.Parse(parts[2]) + 1}-pqr901");
        Directory.CreateSymbolicLink(link, target);

        StaleWorkspaces.Remove(root);

        Assert.True(File.Exists(Path.Combine(target, SandboxWorkspace.ProgramFileName)));
    }

    [Fact]
    public void Create_NamesTheFolderAfterThisProcess()
    {
        using var workspace = SandboxWorkspace.Create("print(1)", readableByEveryone: false);

        Assert.StartsWith(StaleWorkspaces.NamePrefix, Path.GetFileName(workspace.DirectoryPath), StringComparison.Ordinal);
        Assert.Contains($"-{Environment.ProcessId}-", StaleWorkspaces.NamePrefix, StringComparison.Ordinal);
    }

    private string Workspace(string name)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, name)).FullName;
        File.WriteAllText(Path.Combine(folder, SandboxWorkspace.ProgramFileName), "print('left behind')");
        return folder;
    }
}

/// <summary>A fact that reads /proc: skipped where there is none.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux (/proc)";
        }
    }
}

namespace Slingshot.Evaluation.Benchmarks;

/// <summary>
/// The built-in benchmarks by name, plus user tasks by task file path. Creating a task reads no data;
/// data files are read (and missing ones reported) when problems are loaded, except that a subject or
/// task name ("mmlu:anatomy", "bbh:navigate") is checked against the data folder when resolved.
/// </summary>
public sealed class BenchmarkRegistry
{
    private readonly BenchmarkEnvironment _environment;
    private readonly Dictionary<string, Func<IBenchmarkTask>> _builtIn;

    /// <summary>Creates the registry for <paramref name="environment"/>.</summary>
    public BenchmarkRegistry(BenchmarkEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(environment.DatasetRoot);
        _environment = environment;
        var root = environment.DatasetRoot;
        _builtIn = new Dictionary<string, Func<IBenchmarkTask>>(StringComparer.OrdinalIgnoreCase)
        {
            [Gsm8kTask.TaskName] = () => new Gsm8kTask(root),
            [Gsm8kCotTask.TaskName] = () => new Gsm8kCotTask(root),
            [Math500Task.TaskName] = () => new Math500Task(root),
            [HumanEvalTask.TaskName] = () => new HumanEvalTask(root, environment.Sandbox),
            [MbppTask.FullName] = () => MbppTask.Full(root, environment.Sandbox),
            [MbppTask.SanitizedName] = () => MbppTask.Sanitized(root, environment.Sandbox),
            [ArcTask.EasyName] = () => ArcTask.Easy(root),
            [ArcTask.ChallengeName] = () => ArcTask.Challenge(root),
            [BoolqTask.TaskName] = () => new BoolqTask(root),
            [MmluTask.TaskName] = () => new MmluTask(root),
            [BbhTask.TaskName] = () => new BbhTask(root),
        };
    }

    /// <summary>The built-in benchmarks, in a stable order.</summary>
    public IReadOnlyList<TaskDescriptor> List() =>
        _builtIn.Values.Select(create => create()).Select(task => new TaskDescriptor(task.Name, task.Description, task.Version)).ToList();

    /// <summary>
    /// The benchmark called <paramref name="nameOrTaskFilePath"/> ("gsm8k", "mmlu:anatomy", "bbh:navigate"),
    /// or the user task in that file when it names a .json file or a path.
    /// </summary>
    /// <exception cref="UnknownBenchmarkException">No such benchmark, subject or task; the message lists what exists.</exception>
    /// <exception cref="SlingshotException">A task file is missing or invalid, or a data folder is missing.</exception>
    public IBenchmarkTask Resolve(string nameOrTaskFilePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrTaskFilePath);
        var name = nameOrTaskFilePath.Trim();
        if (LooksLikePath(name))
        {
            return UserTask.Load(name);
        }

        if (_builtIn.TryGetValue(name, out var create))
        {
            return create();
        }

        var colon = name.IndexOf(':', StringComparison.Ordinal);
        var family = colon < 0 ? name : name[..colon];
        var member = colon < 0 ? "" : name[(colon + 1)..];
        if (family.Equals(MmluTask.TaskName, StringComparison.OrdinalIgnoreCase) && member.Length > 0)
        {
            var subject = Find(member, MmluTask.Subjects(_environment.DatasetRoot), "MMLU subject");
            return new MmluTask(_environment.DatasetRoot, subject);
        }
        if (family.Equals(BbhTask.TaskName, StringComparison.OrdinalIgnoreCase) && member.Length > 0)
        {
            var task = Find(member, BbhTask.Tasks(_environment.DatasetRoot), "BBH task");
            return new BbhTask(_environment.DatasetRoot, task);
        }

        IReadOnlyList<string> known = [.. _builtIn.Keys, "mmlu:<subject>", "bbh:<task>", "<path to a task .json file>"];
        throw new UnknownBenchmarkException(name, known, NameSuggestion.Closest(name, _builtIn.Keys));
    }

    private static string Find(string member, IReadOnlyList<string> known, string what)
    {
        var match = known.FirstOrDefault(k => k.Equals(member, StringComparison.OrdinalIgnoreCase));
        return match ?? throw new UnknownBenchmarkException(member, known, NameSuggestion.Closest(member, known), what);
    }

    private static bool LooksLikePath(string name) =>
        name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        || name.Contains('/', StringComparison.Ordinal)
        || name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal);
}

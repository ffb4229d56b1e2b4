using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Benchmarks;

public sealed class BenchmarkRegistryTests
{
    private readonly BenchmarkRegistry _registry = new(new BenchmarkEnvironment(TestPaths.Datasets));

    [Fact]
    public void List_BuiltIns_NamedVersionedAndDescribed()
    {
        var list = _registry.List();

        Assert.Equal(
            ["gsm8k", "gsm8k-cot", "math500", "humaneval", "mbpp", "mbpp-sanitized", "arc-easy", "arc-challenge", "boolq", "mmlu", "bbh"],
            list.Select(d => d.Name));
        Assert.All(list, d => Assert.StartsWith(d.Name.Split(':')[0].Split('-')[0], d.Version, StringComparison.Ordinal));
        Assert.All(list, d => Assert.False(string.IsNullOrWhiteSpace(d.Description)));
    }

    [Fact]
    public void Resolve_EveryListedName_ReturnsThatTask()
    {
        foreach (var descriptor in _registry.List())
        {
            var task = _registry.Resolve(descriptor.Name);
            Assert.Equal(descriptor.Name, task.Name);
            Assert.Equal(descriptor.Version, task.Version);
        }
    }

    [Fact]
    public void Resolve_Misspelled_SuggestsTheClosestAndListsAll()
    {
        var error = Assert.Throws<UnknownBenchmarkException>(() => _registry.Resolve("gsm9k"));

        Assert.Equal("gsm8k", error.Suggestion);
        Assert.Contains("Did you mean 'gsm8k'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("math500", error.Message, StringComparison.Ordinal);
        Assert.Contains("mmlu:<subject>", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.IsAssignableFrom<SlingshotException>(error);
    }

    [Fact]
    public void Resolve_Unrelated_ListsWithoutSuggestion()
    {
        var error = Assert.Throws<UnknownBenchmarkException>(() => _registry.Resolve("squad"));

        Assert.Null(error.Suggestion);
        Assert.Contains("humaneval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownMmluSubject_ListsSubjects()
    {
        var error = Assert.Throws<UnknownBenchmarkException>(() => _registry.Resolve("mmlu:anatomyy"));

        Assert.Equal("anatomy", error.Suggestion);
        Assert.Equal(57, error.Known.Count);
        Assert.Contains("MMLU subject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownBbhTask_ListsTasks()
    {
        var error = Assert.Throws<UnknownBenchmarkException>(() => _registry.Resolve("bbh:navigation"));

        Assert.Equal("navigate", error.Suggestion);
        Assert.Equal(27, error.Known.Count);
    }

    [Fact]
    public void Resolve_NameCase_IsIgnored()
    {
        Assert.Equal("mmlu:anatomy", _registry.Resolve("MMLU:Anatomy").Name);
        Assert.Equal("gsm8k", _registry.Resolve("GSM8K").Name);
    }

    [Fact]
    public void LoadProblems_MissingDataRoot_FailsInOneLineNamingThePath()
    {
        var root = Path.Combine(Path.GetTempPath(), "slingshot-no-such-datasets");
        var registry = new BenchmarkRegistry(new BenchmarkEnvironment(root));

        var error = Assert.Throws<SlingshotException>(() => registry.Resolve("gsm8k").LoadProblems());

        Assert.Contains(Path.Combine(root, "gsm8k", "test.jsonl"), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(Path.Combine(root, "mmlu", "test"),
            Assert.Throws<SlingshotException>(() => registry.Resolve("mmlu:anatomy")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingTaskFile_FailsNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "slingshot-missing-task.json");

        var error = Assert.Throws<SlingshotException>(() => _registry.Resolve(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.AI;
using Slingshot.Evaluation.Benchmarks;
using Slingshot.Evaluation.Tests.Support;

namespace Slingshot.Evaluation.Tests.Benchmarks;

public sealed class UserTaskTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slingshot-usertask-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Resolve_JsonlTaskFile_LoadsPromptsAndGrades()
    {
        File.WriteAllText(Path.Combine(_folder, "capitals.jsonl"),
            "{\"country\": \"France\", \"capital\": \"Paris\", \"code\": \"fr\"}\n\n{\"country\": \"Peru\", \"capital\": \"Lima\", \"code\": \"pe\"}\n");
        var taskFile = WriteTask("""
            {
              "name": "capitals",
              "data": "capitals.jsonl",
              "prompt": "What is the capital of {country}? Reply as {{\"city\": ...}}.",
              "system": "Answer briefly.",
              "reference": "capital",
              "extractor": "final-answer",
              "id": "code"
            }
            """);

        var task = new BenchmarkRegistry(new BenchmarkEnvironment(TestPaths.Datasets)).Resolve(taskFile);
        var problems = task.LoadProblems();

        Assert.Equal("capitals", task.Name);
        Assert.Matches("^capitals@[0-9a-f]{8}$", task.Version);
        Assert.Equal(["capitals/fr", "capitals/pe"], problems.Select(p => p.Id));
        Assert.Equal(ChatRole.System, problems[0].Messages[0].Role);
        Assert.Equal("What is the capital of France? Reply as {\"city\": ...}.", problems[0].Messages[1].Text);
        Assert.True((await task.GradeAsync(problems[1], "The answer is Lima.")).Correct);
        Assert.False((await task.GradeAsync(problems[1], "The answer is Cusco.")).Correct);
    }

    [Fact]
    public async Task Load_CsvTaskFile_ReadsQuotedFieldsAndUsesIndexIds()
    {
        File.WriteAllText(Path.Combine(_folder, "sums.csv"),
            "question,answer\n\"What is 1,000 + 1?\",\"1,001\"\n\"Say \"\"two\"\" as a digit,\nthen stop.\",2\n");
        var taskFile = WriteTask("""{"name": "sums", "data": "sums.csv", "prompt": "{question}", "reference": "answer", "extractor": "gsm8k-flexible", "verifier": "match"}""");

        var task = UserTask.Load(taskFile);
        var problems = task.LoadProblems();

        Assert.Equal(["sums/0", "sums/1"], problems.Select(p => p.Id));
        Assert.Equal("Say \"two\" as a digit,\nthen stop.", Assert.Single(problems[1].Messages).Text);
        Assert.True((await task.GradeAsync(problems[0], "It is 1001.")).Correct);
        Assert.True((await task.GradeAsync(problems[1], "2")).Correct);
    }

    [Fact]
    public void Load_EditedTaskFile_ChangesVersion()
    {
        var first = UserTask.Load(WriteTask("""{"name": "t", "data": "d.jsonl", "prompt": "{q}", "reference": "a", "extractor": "yes-no"}""")).Version;
        var second = UserTask.Load(WriteTask("""{"name": "t", "data": "d.jsonl", "prompt": "Q: {q}", "reference": "a", "extractor": "yes-no"}""")).Version;

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("""{"data": "d.jsonl", "prompt": "{q}", "reference": "a", "extractor": "yes-no"}""", "'name'")]
    [InlineData("""{"name": "t", "data": "d.jsonl", "prompt": "{q}", "reference": "a", "extractor": "nope"}""", "gsm8k-strict")]
    [InlineData("""{"name": "t", "data": "d.jsonl", "prompt": "{q}", "reference": "a", "extractor": "yes-no", "verifier": "judge"}""", "unknown verifier 'judge'")]
    [InlineData("""{"name": "t", "data": "d.txt", "prompt": "{q}", "reference": "a", "extractor": "yes-no"}""", "unknown data format 'txt'")]
    [InlineData("""{"name": """, "not a valid task file")]
    public void Load_InvalidTaskFile_FailsInOneLine(string json, string expected)
    {
        var error = Assert.Throws<SlingshotException>(() => UserTask.Load(WriteTask(json)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadProblems_MissingFieldOrData_NamesIt()
    {
        var missingData = UserTask.Load(WriteTask("""{"name": "t", "data": "absent.jsonl", "prompt": "{q}", "reference": "a", "extractor": "yes-no"}"""));
        Assert.Contains(Path.Combine(_folder, "absent.jsonl"), Assert.Throws<SlingshotException>(missingData.LoadProblems).Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_folder, "d.jsonl"), "{\"q\": \"Is water wet?\", \"a\": \"yes\"}\n");
        var missingField = UserTask.Load(WriteTask("""{"name": "t", "data": "d.jsonl", "prompt": "{question}", "reference": "a", "extractor": "yes-no"}"""));
        Assert.Contains("no field 'question'", Assert.Throws<SlingshotException>(missingField.LoadProblems).Message, StringComparison.Ordinal);
    }

    private string WriteTask(string json)
    {
        var path = Path.Combine(_folder, "task.json");
        File.WriteAllText(path, json);
        return path;
    }
}

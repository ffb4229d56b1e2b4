using System.CommandLine;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot finetune</c>: trains an existing GGUF model (all of it or chosen tensors) on task data.</summary>
internal static class FinetuneCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "The GGUF model to fine-tune (F32 or F16 weights)", Required = true };
        var set = new TrainOptionSet();
        var command = new Command("finetune", "Fine-tune a GGUF model on task data with llama.cpp's optimizer; reports validation loss before and after") { model };
        set.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ModelOptionSet.ConfigureRuntime(parse, parse.GetValue(set.CpuVariant), parse.GetValue(set.Verbose));
            var job = set.Job(parse, parse.GetRequiredValue(model));
            return await TrainingRunner.RunAsync(parse, set, job, "finetune", cancellationToken);
        });
        return command;
    }
}

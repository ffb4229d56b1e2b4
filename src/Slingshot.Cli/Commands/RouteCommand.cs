using System.CommandLine;

namespace Slingshot.Cli.Commands;

/// <summary><c>slingshot route</c>: train and evaluate learned routers that send each prompt to a small or a large model.</summary>
internal static class RouteCommand
{
    public static Command Create() => new("route", "Learned routers (RouteLLM style): predict from the prompt whether the small model suffices")
    {
        RouteTrainCommand.Create(),
        RouteEvalCommand.Create(),
    };
}

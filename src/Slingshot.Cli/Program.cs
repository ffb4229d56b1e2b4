using Slingshot.Cli;

return await CliApp.RunAsync(args);

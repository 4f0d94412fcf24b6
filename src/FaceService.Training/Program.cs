using System.CommandLine;
using FaceService.Training.Commands;

// facetrain: the offline tool. Each subcommand lives in Commands/ and follows the method's order.
var root = new RootCommand("FaceService offline tool: model acquisition, data preparation, training, export and evaluation.");
foreach (var command in new Command[]
         {
             // one line per subcommand, in pipeline order
             ModelsCommand.Create(),
             PrepareCommand.Create(),
             TargetsCommand.Create(),
             TrainCommand.Create(),
             ExportCommand.Create(),
             EvalCommand.Create(),
             QuantizeCommand.Create(),
         })
    root.Subcommands.Add(command);
return root.Parse(args).Invoke();

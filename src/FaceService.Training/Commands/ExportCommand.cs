using System.CommandLine;
using FaceService.Training.Cli;
using System.Text.Json.Nodes;
using FaceService.Training.Backbones;
using FaceService.Training.Export;
using FaceService.Training.Training;

namespace FaceService.Training.Commands;

/// <summary><c>facetrain export --run artifacts/runs/NAME</c>: the trained student as models/NAME.onnx + model card.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Run directory made by train (holds config.json and the checkpoints).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model file name and id; default: the run's name." };
        var models = new Option<string>("--models") { Description = "Output folder.", DefaultValueFactory = _ => "models" };
        var averageEpochs = new Option<int>("--average-epochs")
        {
            Description = "Export the mean of the weights of the run's last N epoch checkpoints (weight averaging); 1 = the last epoch's weights.",
            DefaultValueFactory = _ => 1,
        };
        var averageWith = new Option<string[]>("--average-with")
        {
            Description = "Further student checkpoints (a run's distill/epoch-NNN/model.dat) of the same architecture to average in with equal weight: "
                + "runs fine-tuned from the same start, such as one recipe with other seeds (a uniform weight soup).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("export", "Export the trained student to ONNX through the project's writer, check parity with TorchSharp (max abs diff <= 1e-4) and write its model card.")
        {
            run, name, models, averageEpochs, averageWith,
        };
        command.SetAction(parse => CommandErrors.Run("export", () =>
        {
            var runDirectory = parse.GetValue(run)!;
            var config = ExperimentConfig.Load(Path.Combine(runDirectory, DistillationTraining.ConfigFile));
            var modelName = parse.GetValue(name) ?? config.Name;
            var epochWeights = DistillationTraining.LastStudentWeights(runDirectory, parse.GetValue(averageEpochs));
            var others = parse.GetValue(averageWith) ?? [];
            IReadOnlyList<string> weights = [.. epochWeights, .. others];
            var student = BackboneFactory.Create(config.Student);
            CheckpointAveraging.LoadAverage(student, weights);
            student.eval();

            var provenance = new JsonObject
            {
                ["training"] = new JsonObject
                {
                    ["scheme"] = config.Scheme.ToString(),
                    ["config"] = JsonNode.Parse(config.ToJson()),
                    ["command"] = $"facetrain train --config <config above>; facetrain export --run {runDirectory} --name {modelName}" +
                        (epochWeights.Count > 1 ? $" --average-epochs {epochWeights.Count}" : "") +
                        string.Concat(others.Select(o => $" --average-with {o}")),
                    ["weights"] = weights.Count == 1 ? weights[0] : new JsonArray([.. weights.Select(w => JsonValue.Create(w))]),
                },
                ["teacher"] = "dlib-resnet29-faceapi-1.7.15 (MIT, @vladmandic/face-api)",
                ["licence"] = "Trained on CelebA and UTKFace, which are for non-commercial research only: this model inherits those terms.",
            };
            var summaryPath = Path.Combine(runDirectory, DistillationTraining.SummaryFile);
            if (File.Exists(summaryPath))
                provenance["trainingSummary"] = JsonNode.Parse(File.ReadAllText(summaryPath));

            if (weights.Count > 1)
                Console.WriteLine($"export: the mean of {weights.Count} checkpoints: {string.Join(", ", weights)}");
            var result = StudentExport.Export(student, config.Student, parse.GetValue(models)!, modelName, provenance);
            Console.WriteLine($"export: {result.OnnxPath} + {result.CardPath}; parity TorchSharp vs ONNX Runtime max abs diff {result.MaxAbsDifference:G3} (<= {StudentExport.ParityTolerance})");
            return 0;
        }));
        return command;
    }
}

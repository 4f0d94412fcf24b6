using FaceService.Nets.Layers;
using FaceService.Nets.Onnx;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace FaceService.Nets.Tests;

/// <summary>The ONNX writer on modules that have nothing to do with face-api: ONNX Runtime must agree with TorchSharp.</summary>
public class OnnxWriterTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void A_generic_network_exports_and_runs_like_TorchSharp()
    {
        torch.manual_seed(11);
        var net = nn.Sequential(
            ("normalize", new InputNormalization([120f, 110f, 100f])),
            ("stem", nn.Sequential(nn.Conv2d(3, 8, 3, stride: 2, padding: 1, bias: false), nn.BatchNorm2d(8), nn.PReLU(8))),
            ("block", new Residual(
                nn.Sequential(nn.Conv2d(8, 8, 3, padding: 1, groups: 8), nn.BatchNorm2d(8), nn.ReLU6(), nn.Conv2d(8, 8, 1)),
                activation: nn.PReLU(1))),
            ("down", new Residual(
                nn.Sequential(nn.Conv2d(8, 16, 3, stride: 2, padding: 2, dilation: 2), nn.Hardswish()),
                shortcut: nn.Sequential(nn.AvgPool2d(2, stride: 2), nn.Conv2d(8, 16, 1, bias: false)),
                activation: nn.LeakyReLU(0.2))),
            ("pad", nn.ZeroPad2d((1, 0, 0, 1))),
            ("pool", nn.MaxPool2d(3, stride: 2, padding: 1)),
            ("smooth", nn.AvgPool2d(3, stride: 1, padding: 1, count_include_pad: false)),
            ("same", nn.Conv2d(16, 16, 3, padding: Padding.Same)),
            ("gap", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("dropout", nn.Dropout(0.5)),
            ("fc", nn.Linear(16, 10)),
            ("bn", nn.BatchNorm1d(10)),
            ("identity", nn.Identity()),
            ("gate", nn.Sigmoid()));
        RandomiseBatchNormStatistics(net);
        net.train();

        var input = torch.rand(2, 16, 16, 3) * 255;
        var model = OnnxExporter.ToModel(net, new OnnxExportOptions(["N", 16, 16, 3], ["N", 10]));

        Assert.True(net.training, "the exporter restores the module's training flag");
        net.eval();
        var expected = Nets.RunTorch(net, input.data<float>().ToArray(), [2, 16, 16, 3]);
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        var actual = Nets.RunOnnx(session, input.data<float>().ToArray(), [2, 16, 16, 3]);
        Assert.Equal(20, actual.Length);
        Assert.InRange(Golden.MaxAbsDiff(actual, expected.Select(v => (double)v).ToArray()), 0, Tolerance);
    }

    [Fact]
    public void The_graph_has_the_requested_names_and_a_dynamic_batch()
    {
        var model = OnnxExporter.ToModel(nn.Sequential(nn.Linear(4, 2)), new OnnxExportOptions(["batch", 4], ["batch", 2])
        {
            InputName = "features",
            OutputName = "scores",
        });
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        Assert.Equal("features", session.InputMetadata.Keys.Single());
        Assert.Equal("scores", session.OutputMetadata.Keys.Single());
        Assert.Equal([-1, 4], session.InputMetadata["features"].Dimensions);
        Assert.Equal(3 * 2, Nets.RunOnnx(session, new float[3 * 4], [3, 4]).Length);
    }

    [Fact]
    public void A_module_without_an_ONNX_mapping_is_refused_by_name()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            OnnxExporter.ToModel(nn.Sequential(("odd", nn.Softplus())), new OnnxExportOptions(["N", 4], ["N", 4])));
        Assert.Contains("Softplus", error.Message);
        Assert.Contains(nameof(IOnnxExportable), error.Message);
    }

    private static void RandomiseBatchNormStatistics(nn.Module net)
    {
        using var _ = no_grad();
        foreach (var (_, module) in net.named_modules())
        {
            if (module is not TorchSharp.Modules.BatchNorm norm)
                continue;
            norm.running_mean!.copy_(torch.randn(norm.num_features) * 0.5);
            norm.running_var!.copy_(torch.rand(norm.num_features) + 0.5);
            norm.weight!.copy_(torch.rand(norm.num_features) + 0.5);
            norm.bias!.copy_(torch.randn(norm.num_features) * 0.1);
        }
    }
}

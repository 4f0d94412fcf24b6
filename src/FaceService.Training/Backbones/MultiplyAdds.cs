using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FaceService.Training.Backbones;

/// <summary>
/// Multiply-adds of one forward pass per face, counted over convolutions and linear layers (everything else is
/// a small fraction). The speed lever the student is designed around; measured latency is the final word.
/// </summary>
public static class MultiplyAdds
{
    public static long PerFace(nn.Module<Tensor, Tensor> model, int inputSize)
    {
        long total = 0;
        var hooks = new List<Action>();
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    hooks.Add(conv.register_forward_hook((_, _, output) =>
                    {
                        total += output.numel() * (conv.in_channels / conv.groups) * conv.kernel_size.Aggregate(1L, (a, k) => a * k);
                        return output;
                    }).remove);
                    break;
                case Linear linear:
                    hooks.Add(linear.register_forward_hook((_, _, output) =>
                    {
                        total += output.numel() * linear.in_features;
                        return output;
                    }).remove);
                    break;
            }
        }

        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var wasTraining = model.training;
            model.eval();
            model.forward(zeros(1, inputSize, inputSize, 3));
            if (wasTraining)
                model.train();
        }
        finally
        {
            foreach (var remove in hooks)
                remove();
        }

        return total;
    }
}

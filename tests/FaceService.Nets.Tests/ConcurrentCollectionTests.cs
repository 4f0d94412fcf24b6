using FaceService.Nets.Acquisition;
using FaceService.Nets.Detector;
using FaceService.Nets.Landmarks;
using FaceService.Nets.Teacher;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Nets.Tests;

/// <summary>
/// TorchSharp frees tensors in finalizers, so a temporary passed to a native call can be freed during it if a
/// collection runs then (see <see cref="Layers.ParameterLoading"/>). Forcing collections non-stop on another thread
/// makes that race likely: before the loaders held their temporaries, building the teacher 300 times this way crashed
/// the test host three runs out of three.
/// </summary>
public class ConcurrentCollectionTests
{
    private const int Builds = 300;

    [SkippableFact]
    public async Task Every_net_builds_from_its_weights_while_collections_run_beside_it()
    {
        Requires.Shared();
        var recognition = Nets.Weights(FaceApiPackage.RecognitionManifest);
        var detector = Nets.Weights(FaceApiPackage.DetectorManifest);
        var ssd = Nets.Weights(FaceApiPackage.SsdMobilenetV1Manifest);
        var landmarks = Nets.Weights(FaceApiPackage.Landmark68Manifest);

        using var stop = new CancellationTokenSource();
        var collector = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        for (var i = 0; i < Builds; i++)
        {
            DlibResNet.FromWeights(recognition).Dispose();
            if (i % 100 == 0)
            {
                TinyFaceDetector.FromWeights(detector).Dispose();
                SsdMobilenetV1.FromWeights(ssd).Dispose();
                FaceLandmark68Net.FromWeights(landmarks).Dispose();
            }
        }
        stop.Cancel();
        await collector;
    }
}

using FaceService.Faces.Alignment;
using FaceService.Training.Data;

namespace FaceService.Training.Quantization;

/// <summary>
/// Faces for calibration and for the agreement check, from the training crop cache only (never an evaluation set):
/// disjoint, seeded samples of crops, each brought to the model's input size by the student's own degradation with
/// half the faces kept at HR (area-resized) and half degraded to 6–48 px and back, since the model serves both.
/// </summary>
public static class CalibrationFaces
{
    public static LowResolutionAugmentationOptions Degradation { get; } = new() { HighResolutionShare = 0.5 };

    /// <summary>Two disjoint seeded samples of crop indices.</summary>
    public static (int[] Calibration, int[] HeldOut) Split(int cropCount, int calibration, int heldOut, int seed)
    {
        if (calibration < 1 || heldOut < 1)
            throw new ArgumentException($"Need at least one calibration and one held-out face, not {calibration} and {heldOut}.");
        if (calibration + heldOut > cropCount)
            throw new ArgumentException($"{calibration} calibration and {heldOut} held-out faces need that many crops; the cache has {cropCount}.");
        var order = Enumerable.Range(0, cropCount).ToArray();
        new Random(seed).Shuffle(order);
        return (order[..calibration], order[calibration..(calibration + heldOut)]);
    }

    public static AlignedFace[] Load(CropCache crops, IReadOnlyList<int> indices, int inputSize, int seed)
    {
        var augmentation = new LowResolutionAugmentation(Degradation, inputSize);
        var faces = new AlignedFace[indices.Count];
        for (var i = 0; i < faces.Length; i++)
            faces[i] = augmentation.Apply(crops.Crop(indices[i]), crops.CropSize, crops.CropSize, SampleSeed.For(seed, 0, indices[i]));
        return faces;
    }
}

namespace FaceService.Faces.Landmarks;

public sealed class Landmark68Options
{
    /// <summary>models/face-landmarks68.onnx (full net, the reference) or models/face-landmarks68-tiny.onnx.</summary>
    public string ModelPath { get; set; } = "models/face-landmarks68.onnx";

    /// <summary>ONNX Runtime intra-op threads; 0 = runtime default.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>
    /// Extra landmark passes, each on a box re-framed around the previous pass's landmarks
    /// (<see cref="LandmarkBox.Around"/>), so the net sees the face framed as on face-api's own detections however
    /// loose or offset the detector's box was. 0 = face-api's pipeline exactly (what the parity tests check).
    /// Default 1: on LFW View 2 at HR it lowers the teacher's errors from 113 to 104 of 6,000 (FaceService.Faces
    /// README, "Landmark refinement"), for one more batched landmark inference per image.
    /// </summary>
    public int RefinementPasses { get; set; } = 1;
}

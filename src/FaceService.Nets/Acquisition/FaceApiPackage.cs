namespace FaceService.Nets.Acquisition;

/// <summary>The npm package the face models come from, and the files of it that the project uses.</summary>
public static class FaceApiPackage
{
    public const string Name = "@vladmandic/face-api";
    public const string Version = "1.7.15";
    public const string Spec = $"{Name}@{Version}";

    /// <summary>Where the package is unpacked, relative to the models directory (it holds <c>package/</c>).</summary>
    public static string CacheFolder => Path.Combine(".cache", $"face-api-{Version}");

    /// <summary>The committed SHA-256 pins (sha256sum format, paths relative to <c>package/</c>).</summary>
    public const string PinsFileName = "face-api.sha256";

    public const string DetectorManifest = "model/tiny_face_detector_model-weights_manifest.json";
    public const string SsdMobilenetV1Manifest = "model/ssd_mobilenetv1_model-weights_manifest.json";
    public const string Landmark68Manifest = "model/face_landmark_68_model-weights_manifest.json";
    public const string Landmark68TinyManifest = "model/face_landmark_68_tiny_model-weights_manifest.json";
    public const string RecognitionManifest = "model/face_recognition_model-weights_manifest.json";
}

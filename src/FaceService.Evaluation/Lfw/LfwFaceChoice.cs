using FaceService.Faces;
using FaceService.Faces.Imaging;

namespace FaceService.Evaluation.Lfw;

/// <summary>
/// Which face of an LFW image is the named person, and where to put the face when the detector finds none. LFW
/// centres the named person, and the deep-funneled images are registered to one another, so both rules use that.
/// </summary>
public static class LfwFaceChoice
{
    public const string FallbackRule =
        "no face found: align with the mean 68 landmarks of every image where one was found (relative to image size; " +
        "the deep-funneled images are registered, so the face sits at about the same place)";

    /// <summary>The face whose box centre is nearest the image centre; null when there is none.</summary>
    public static AnalyzedFace? Central(IReadOnlyList<AnalyzedFace> faces, RgbImage image)
    {
        double DistanceToCentre(AnalyzedFace face)
        {
            var box = face.Detection.Box;
            var dx = box.X + box.Width / 2 - image.Width / 2.0;
            var dy = box.Y + box.Height / 2 - image.Height / 2.0;
            return dx * dx + dy * dy;
        }
        return faces.Count == 0 ? null : faces.MinBy(DistanceToCentre);
    }

    /// <summary>Landmarks averaged point by point, as fractions of their image's width and height.</summary>
    public sealed class MeanLandmarks
    {
        private readonly double[] _sum = new double[68 * 2];
        private int _count;

        public int Count => _count;

        public void Add(FaceLandmarks landmarks, RgbImage image)
        {
            if (landmarks.Points.Count * 2 != _sum.Length)
                throw new ArgumentException($"Expected 68 landmarks, got {landmarks.Points.Count}.", nameof(landmarks));
            lock (_sum)
            {
                for (var i = 0; i < landmarks.Points.Count; i++)
                {
                    _sum[2 * i] += landmarks.Points[i].X / image.Width;
                    _sum[2 * i + 1] += landmarks.Points[i].Y / image.Height;
                }
                _count++;
            }
        }

        /// <summary>The mean landmarks placed on <paramref name="image"/>.</summary>
        public FaceLandmarks For(RgbImage image)
        {
            if (_count == 0)
                throw new InvalidOperationException("No image had a face, so there are no mean landmarks to fall back on.");
            return new FaceLandmarks(Enumerable.Range(0, _sum.Length / 2)
                .Select(i => new Point2(_sum[2 * i] / _count * image.Width, _sum[2 * i + 1] / _count * image.Height))
                .ToList());
        }
    }
}

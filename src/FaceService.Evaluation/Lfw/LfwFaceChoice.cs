using System.Collections.Concurrent;
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

    /// <summary>
    /// Landmarks averaged point by point, as fractions of their image's width and height. Images are added from
    /// parallel workers; the mean is summed in image order, so it is the same double on every run.
    /// </summary>
    public sealed class MeanLandmarks
    {
        private readonly ConcurrentDictionary<int, double[]> _relative = new();
        private double[]? _mean;

        public int Count => _relative.Count;

        public void Add(int imageOrder, FaceLandmarks landmarks, RgbImage image)
        {
            if (landmarks.Points.Count != 68)
                throw new ArgumentException($"Expected 68 landmarks, got {landmarks.Points.Count}.", nameof(landmarks));
            var relative = landmarks.Points.SelectMany(p => new[] { p.X / image.Width, p.Y / image.Height }).ToArray();
            if (!_relative.TryAdd(imageOrder, relative))
                throw new ArgumentException($"Image {imageOrder} was already added.", nameof(imageOrder));
            _mean = null;
        }

        /// <summary>The mean landmarks placed on <paramref name="image"/>.</summary>
        public FaceLandmarks For(RgbImage image)
        {
            var mean = _mean ??= Mean();
            return new FaceLandmarks(Enumerable.Range(0, mean.Length / 2)
                .Select(i => new Point2(mean[2 * i] * image.Width, mean[2 * i + 1] * image.Height))
                .ToList());
        }

        private double[] Mean()
        {
            if (_relative.IsEmpty)
                throw new InvalidOperationException("No image had a face, so there are no mean landmarks to fall back on.");
            var sum = new double[68 * 2];
            foreach (var (_, relative) in _relative.OrderBy(kv => kv.Key))
                for (var i = 0; i < sum.Length; i++)
                    sum[i] += relative[i];
            return sum.Select(v => v / _relative.Count).ToArray();
        }
    }
}

using FaceService.Faces.Landmarks;

namespace FaceService.Faces.Alignment;

/// <summary>
/// Where the five alignment points should land, as fractions of the output side (x right, y down; pixel index
/// coordinates are fraction × size, as in dlib's chips).
/// </summary>
public sealed record FaceTemplate(Point2 LeftEye, Point2 RightEye, Point2 NoseTip, Point2 MouthLeft, Point2 MouthRight)
{
    /// <summary>
    /// The teacher's training crop: dlib's get_face_chip(…, 150, padding 0.25) fits the image to dlib's mean face
    /// shape. These are that mean face's points reduced to our five, with dlib's padding mapping
    /// (padding + m) / (1 + 2·padding).
    /// </summary>
    public static FaceTemplate DlibFaceChip { get; } = FromDlibMeanFace(padding: 0.25);

    public static FaceTemplate FromDlibMeanFace(double padding)
    {
        Point2 Map(double x, double y) => new((padding + x) / (1 + 2 * padding), (padding + y) / (1 + 2 * padding));
        Point2 Mean(double[] xs, double[] ys) => Map(xs.Average(), ys.Average());
        return new FaceTemplate(
            Mean(DlibMeanFace.LeftEyeX, DlibMeanFace.LeftEyeY),
            Mean(DlibMeanFace.RightEyeX, DlibMeanFace.RightEyeY),
            Map(DlibMeanFace.NoseTip.X, DlibMeanFace.NoseTip.Y),
            Map(DlibMeanFace.MouthLeft.X, DlibMeanFace.MouthLeft.Y),
            Map(DlibMeanFace.MouthRight.X, DlibMeanFace.MouthRight.Y));
    }

    /// <summary>The five points in output pixels for a <paramref name="size"/>-pixel square.</summary>
    public Point2[] ToPixels(int size) =>
        [Scale(LeftEye, size), Scale(RightEye, size), Scale(NoseTip, size), Scale(MouthLeft, size), Scale(MouthRight, size)];

    private static Point2 Scale(Point2 p, int size) => new(p.X * size, p.Y * size);

    /// <summary>
    /// dlib's mean face shape (dlib/image_transforms/interpolation.h, get_face_chip_details: mean_face_shape_x/y,
    /// points 17–67 in 0..1), the entries for iBUG points 30, 36–47, 48 and 54.
    /// </summary>
    private static class DlibMeanFace
    {
        public static readonly double[] LeftEyeX = [0.121737, 0.187122, 0.265825, 0.334606, 0.260918, 0.182743];
        public static readonly double[] LeftEyeY = [0.216423, 0.178758, 0.179852, 0.231733, 0.245099, 0.244077];
        public static readonly double[] RightEyeX = [0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335];
        public static readonly double[] RightEyeY = [0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099];
        public static readonly Point2 NoseTip = new(0.490127, 0.515625);
        public static readonly Point2 MouthLeft = new(0.254149, 0.780233);
        public static readonly Point2 MouthRight = new(0.726104, 0.780233);
    }
}

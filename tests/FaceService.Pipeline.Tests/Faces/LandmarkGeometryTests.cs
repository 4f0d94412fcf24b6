using FaceService.Faces;
using FaceService.Faces.Alignment;
using FaceService.Faces.Imaging;
using FaceService.Faces.Landmarks;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>face-api's landmark crop, post-processing quirks and alignDlib box, on the recorded values.</summary>
public sealed class LandmarkGeometryTests
{
    public static TheoryData<int, int, string> Faces()
    {
        var data = new TheoryData<int, int, string>();
        int[] counts = [3, 1, 3, 3, 5, 5]; // faces per demo image (golden README)
        for (var sample = 1; sample <= 6; sample++)
        for (var face = 0; face < counts[sample - 1]; face++)
        {
            data.Add(sample, face, "landmarks68");
            data.Add(sample, face, "landmarks68tiny");
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Faces))]
    public void PostProcessingReproducesFaceApiPositions(int sample, int faceIndex, string net)
    {
        Requires.Shared();
        var golden = FaceApiGolden.Detect(sample);
        var face = golden.GetProperty("faces")[faceIndex];
        var decoded = golden.GetProperty("decoded");
        var box = face.GetProperty("detection").GetProperty("boxPx").Box();

        var crop = FaceApiCropRules.ClipAndFloor(box, decoded.GetProperty("width").GetInt32(), decoded.GetProperty("height").GetInt32());

        var expectedCrop = face.GetProperty("landmarkCrop");
        Assert.Equal(new PixelRect(expectedCrop.GetProperty("x").GetInt32(), expectedCrop.GetProperty("y").GetInt32(),
            expectedCrop.GetProperty("width").GetInt32(), expectedCrop.GetProperty("height").GetInt32()), crop);

        var landmarks = LandmarkInput.ToImagePoints(face.GetProperty(net).GetProperty("rawOutput").Floats(), crop!.Value, box);

        var expected = face.GetProperty(net).GetProperty("positionsPx").Points();
        for (var i = 0; i < 68; i++)
        {
            Assert.Equal(expected[i].X, landmarks.Points[i].X, 1e-4);
            Assert.Equal(expected[i].Y, landmarks.Points[i].Y, 1e-4);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Faces))]
    public void AlignDlibRectMatchesFaceApi(int sample, int faceIndex, string net)
    {
        Requires.Shared();
        var face = FaceApiGolden.Detect(sample).GetProperty("faces")[faceIndex];
        var crop = face.GetProperty("landmarkCrop");
        var landmarks = new FaceLandmarks(face.GetProperty(net).GetProperty("positionsPx").Points())
        {
            CropSize = (crop.GetProperty("width").GetInt32(), crop.GetProperty("height").GetInt32()),
        };

        var rect = FaceApiCropRules.AlignDlibRect(landmarks);

        var expected = face.GetProperty(net).GetProperty("alignDlib");
        Assert.Equal(new PixelRect(expected.GetProperty("x").GetInt32(), expected.GetProperty("y").GetInt32(),
            expected.GetProperty("width").GetInt32(), expected.GetProperty("height").GetInt32()), rect);
    }
}

using FaceService.Faces;
using FaceService.Faces.Detection;
using Xunit;

namespace FaceService.Pipeline.Tests.Faces;

/// <summary>face-api's SSD thresholding, NMS and mapping back to the image, on synthetic net outputs.</summary>
public sealed class SsdDecoderTests
{
    private static SsdCandidate Box(int anchor, double score, double top, double left, double size) =>
        new(anchor, score, top, left, top + size, left + size);

    private static float[] Output(params SsdCandidate[] anchors) =>
        anchors.SelectMany(a => new[] { (float)a.Top, (float)a.Left, (float)a.Bottom, (float)a.Right, (float)a.Score }).ToArray();

    [Fact]
    public void Candidates_are_the_anchors_strictly_above_the_threshold_in_anchor_order()
    {
        var output = Output(Box(0, 0.5, 0, 0, 0.1), Box(1, 0.75, 0.2, 0.2, 0.1), Box(2, 0.25, 0, 0, 0.1), Box(3, 0.625, 0.5, 0.5, 0.25));

        var candidates = SsdDecoder.Candidates(output, 0.5);

        Assert.Equal([1, 3], candidates.Select(c => c.Anchor));
        Assert.Equal(new SsdCandidate(3, 0.625, 0.5, 0.5, 0.75, 0.75), candidates[1]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void An_output_that_is_not_whole_anchors_is_refused(int length) =>
        Assert.Throws<ArgumentException>(() => SsdDecoder.Candidates(new float[length], 0.5));

    [Fact]
    public void Nms_drops_boxes_overlapping_a_better_one_by_more_than_the_threshold()
    {
        // b overlaps a with IoU 0.6 (dropped); c overlaps a with IoU exactly 0.5 (kept: the rule is strictly above);
        // d overlaps the dropped b by 0.6 but a only by 1/3 (kept: only kept boxes suppress).
        var a = new SsdCandidate(0, 0.9, 0, 0, 1, 1);
        var b = new SsdCandidate(1, 0.8, 0, 0.25, 1, 1.25);
        var c = new SsdCandidate(2, 0.7, 0, 0, 1, 0.5);
        var d = new SsdCandidate(3, 0.6, 0, 0.5, 1, 1.5);
        Assert.Equal(0.6, SsdDecoder.IntersectionOverUnion(a, b), 12);
        Assert.Equal(0.5, SsdDecoder.IntersectionOverUnion(a, c));
        Assert.Equal(0.6, SsdDecoder.IntersectionOverUnion(b, d), 12);

        var kept = SsdDecoder.NonMaxSuppression([d, c, b, a], 0.5, 100);

        Assert.Equal([3, 1, 0], kept); // a, c, d by descending score
    }

    [Fact]
    public void Nms_keeps_at_most_max_results_best_first_and_equal_scores_in_input_order()
    {
        var boxes = Enumerable.Range(0, 5).Select(i => Box(i, i < 3 ? 0.7 : 0.9, 0, 2 * i, 1)).ToArray(); // disjoint

        Assert.Equal([3, 4, 0], SsdDecoder.NonMaxSuppression(boxes, 0.5, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SsdDecoder.NonMaxSuppression(boxes, 0.5, 0));
    }

    [Fact]
    public void IoU_reorders_swapped_corners_and_is_zero_for_a_box_without_area()
    {
        var box = new SsdCandidate(0, 0.9, 0, 0, 1, 1);
        var swapped = new SsdCandidate(1, 0.9, 1, 1, 0, 0);
        var flat = new SsdCandidate(2, 0.9, 0.5, 0, 0.5, 1);

        Assert.Equal(1.0, SsdDecoder.IntersectionOverUnion(box, swapped));
        Assert.Equal(0.0, SsdDecoder.IntersectionOverUnion(box, flat));
    }

    [Fact]
    public void Boxes_are_clipped_to_the_input_and_mapped_back_through_the_bottom_right_padding()
    {
        // A 1000x500 image fills the top 256 rows of the 512 input: y is stretched by 512/256, x by 1.
        var candidate = new SsdCandidate(0, 0.9, Top: -0.1, Left: 0.25, Bottom: 0.25, Right: 1.2);

        var box = SsdDecoder.ToPixels(candidate, 1000, 500, 512);

        Assert.Equal(250, box.X, 9);
        Assert.Equal(0, box.Y, 9);
        Assert.Equal(750, box.Width, 9);
        Assert.Equal(0.5 * 500, box.Height, 9);
    }
}

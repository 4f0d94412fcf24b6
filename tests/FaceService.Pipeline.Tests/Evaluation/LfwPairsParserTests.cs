using FaceService.Evaluation.Lfw;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Pipeline.Tests.Evaluation;

public class LfwPairsParserTests
{
    private const string TwoFolds = """
        2	1
        Ann_Lee	1	2
        Ann_Lee	1	Bob	3
        Cy	2	14

        Cy	1	Ann_Lee	2
        """;

    [Fact]
    public void Parses_folds_of_same_then_different_pairs_into_image_paths()
    {
        var list = LfwPairsParser.Parse(new StringReader(TwoFolds));

        Assert.Equal((2, 1), (list.FoldCount, list.PairsPerClassPerFold));
        Assert.Equal(
        [
            new LfwPair("Ann_Lee/Ann_Lee_0001.jpg", "Ann_Lee/Ann_Lee_0002.jpg", true, 0),
            new LfwPair("Ann_Lee/Ann_Lee_0001.jpg", "Bob/Bob_0003.jpg", false, 0),
            new LfwPair("Cy/Cy_0002.jpg", "Cy/Cy_0014.jpg", true, 1),
            new LfwPair("Cy/Cy_0001.jpg", "Ann_Lee/Ann_Lee_0002.jpg", false, 1),
        ], list.Pairs);
        Assert.Equal(["Ann_Lee/Ann_Lee_0001.jpg", "Ann_Lee/Ann_Lee_0002.jpg", "Bob/Bob_0003.jpg", "Cy/Cy_0002.jpg", "Cy/Cy_0014.jpg", "Cy/Cy_0001.jpg"],
            list.DistinctImages());
    }

    [Fact]
    public void Taking_folds_keeps_only_their_pairs()
    {
        var first = LfwPairsParser.Parse(new StringReader(TwoFolds)).TakeFolds(1);

        Assert.Equal(1, first.FoldCount);
        Assert.All(first.Pairs, p => Assert.Equal(0, p.Fold));
        Assert.Equal(2, first.Pairs.Count);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("ten 300\n", "line 1")]
    [InlineData("1 1\nA 1 2\n", "end of file")]
    [InlineData("1 1\nA 1 B 2\nA 1 B 2\n", "line 2")]       // a different-person line where a same-person one belongs
    [InlineData("1 1\nA 1 2\nA 0 B 2\n", "line 3")]         // image numbers start at 1
    [InlineData("1 1\nA 1 2\nA 1 B 2\nA 1 3\n", "more pairs")]
    public void Malformed_files_give_a_typed_error_naming_the_problem(string text, string expected)
    {
        var error = Assert.Throws<LfwPairsFormatException>(() => LfwPairsParser.Parse(new StringReader(text)));
        Assert.Contains(expected, error.Message);
    }

    [SkippableFact]
    public void The_shared_view2_pairs_are_six_thousand_pairs_over_7701_existing_images()
    {
        Requires.Shared();
        var lfw = Path.Combine(TestPaths.SharedDir, "datasets", "lfw");

        var list = LfwPairsParser.Load(Path.Combine(lfw, "pairs.txt"));

        Assert.Equal((10, 300, 6000), (list.FoldCount, list.PairsPerClassPerFold, list.Pairs.Count));
        Assert.Equal(3000, list.Pairs.Count(p => p.IsSame));
        var images = list.DistinctImages();
        Assert.Equal(7701, images.Count);
        Assert.All(images, image => Assert.True(File.Exists(Path.Combine(lfw, "lfw-deepfunneled", image)), image));
    }
}

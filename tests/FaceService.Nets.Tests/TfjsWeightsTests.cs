using FaceService.Nets.Acquisition;
using FaceService.TestSupport;
using Xunit;

namespace FaceService.Nets.Tests;

public class TfjsWeightsTests
{
    [SkippableFact]
    public void Recognition_weights_match_weights_check_json()
    {
        Requires.Shared();
        var check = Golden.Load("weights_check.json");
        var weights = Nets.Weights(FaceApiPackage.RecognitionManifest);
        var expected = check.GetProperty("tensors").EnumerateArray().ToList();

        Assert.Equal(expected.Count, weights.Tensors.Count);
        Assert.Equal(check.GetProperty("totalBytes").GetInt64(), weights.Tensors.Sum(t => t.ByteLength));
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var tensor = weights.Tensors[i];
            var name = want.GetProperty("name").GetString();
            Assert.Equal(name, tensor.Name);
            Assert.Equal(want.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()), tensor.Shape);
            Assert.Equal(want.GetProperty("byteOffset").GetInt64(), tensor.ByteOffset);
            Assert.Equal(want.GetProperty("byteLength").GetInt64(), tensor.ByteLength);
            AssertStorage(want.GetProperty("storage").GetString()!, tensor.Storage);
            // First values and the last are float32 values printed exactly: they must be bit-equal.
            Assert.Equal(want.GetProperty("first4").Floats(), tensor.Values.Take(4));
            Assert.Equal(want.GetProperty("last").GetSingle(), tensor.Values[^1]);
            var sum = tensor.Values.Sum(v => (double)v);
            var expectedSum = want.GetProperty("sum").GetDouble();
            Assert.True(Math.Abs(sum - expectedSum) <= 1e-9 * Math.Max(1, tensor.Values.Sum(v => Math.Abs((double)v))),
                $"{name}: sum {sum} vs {expectedSum}");
        }
        Assert.Equal(109, weights.Tensors.Count(t => t.Storage.IsQuantized));
    }

    private static void AssertStorage(string expected, Tfjs.TfjsStorage actual)
    {
        if (expected == "float32le")
        {
            Assert.False(actual.IsQuantized);
            return;
        }
        // "uint8(min=...,scale=...)"
        var fields = expected["uint8(".Length..^1].Split(',').Select(f => f.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("uint8", actual.DType);
        Assert.Equal(fields["min"], actual.Min);
        Assert.Equal(fields["scale"], actual.Scale);
    }
}

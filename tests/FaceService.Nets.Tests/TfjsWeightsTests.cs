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

public sealed class TfjsWeightsFormatTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tfjs-weights-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Reads_float32_and_quantised_tensors_across_shards()
    {
        var floats = new byte[16];
        for (var i = 0; i < 4; i++)
            BitConverter.TryWriteBytes(floats.AsSpan(4 * i), i + 0.5f);
        // The float tensor straddles the two shards; then uint8 (0, 2, 4) and uint16 (1000) quantised values.
        File.WriteAllBytes(Path.Combine(_directory, "w.bin1"), floats[..10]);
        File.WriteAllBytes(Path.Combine(_directory, "w.bin2"), [.. floats[10..], 0, 2, 4, 0xE8, 0x03]);
        var manifest = WriteManifest("""
            [{"paths": ["w.bin1", "w.bin2"], "weights": [
              {"name": "a", "shape": [2, 2], "dtype": "float32"},
              {"name": "b", "shape": [3], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.5}},
              {"name": "c", "shape": [1], "dtype": "float32", "quantization": {"dtype": "uint16", "min": 0.0, "scale": 0.001}}]}]
            """);

        var weights = Tfjs.TfjsWeights.Load(manifest);

        Assert.Equal([0.5f, 1.5f, 2.5f, 3.5f], weights["a"].Values);
        Assert.Equal([-1f, 0f, 1f], weights["b"].Values);
        Assert.Equal((float)(1000 * 0.001), weights["c"].Values[0]);
        Assert.Equal([0L, 16, 19], weights.Tensors.Select(t => t.ByteOffset));
    }

    [Fact]
    public void Reads_int32_tensors_plain_and_quantised()
    {
        // The SSD manifest stores TF shape constants as int32: plain (-3, 5118) and uint8-quantised (q * 1 + 3072).
        var plain = new byte[8];
        BitConverter.TryWriteBytes(plain.AsSpan(0), -3);
        BitConverter.TryWriteBytes(plain.AsSpan(4), 5118);
        File.WriteAllBytes(Path.Combine(_directory, "w.bin"), [.. plain, 2]);
        var manifest = WriteManifest("""
            [{"paths": ["w.bin"], "weights": [
              {"name": "plain", "shape": [2], "dtype": "int32"},
              {"name": "quantised", "shape": [], "dtype": "int32", "quantization": {"dtype": "uint8", "min": 3072, "scale": 1}}]}]
            """);

        var weights = Tfjs.TfjsWeights.Load(manifest);

        Assert.Equal([-3f, 5118f], weights["plain"].Values);
        Assert.Equal("int32", weights["plain"].Storage.DType);
        Assert.Equal([3074f], weights["quantised"].Values);
        Assert.True(weights["quantised"].Storage.IsQuantized);
    }

    [Fact]
    public void A_manifest_that_does_not_match_its_bin_is_refused()
    {
        File.WriteAllBytes(Path.Combine(_directory, "w.bin"), new byte[10]);
        var manifest = WriteManifest("""[{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [2], "dtype": "float32"}]}]""");

        var error = Assert.Throws<InvalidDataException>(() => Tfjs.TfjsWeights.Load(manifest));
        Assert.Contains("8 bytes", error.Message);
    }

    [Fact]
    public void Layout_helpers_turn_HWIO_into_OIHW_and_dense_into_linear()
    {
        // HWIO [kh=2, kw=1, in=1, out=3] holding h*3 + o, so OIHW[o, 0, h, 0] must hold h*3 + o.
        var filter = new Tfjs.TfjsTensor("f", [2, 1, 1, 3], Tfjs.TfjsStorage.Float32, 0, 24, [0, 1, 2, 3, 4, 5]);
        using var oihw = Tfjs.TfjsLayout.ConvFilter(filter);
        Assert.Equal([3L, 1, 2, 1], oihw.shape);
        Assert.Equal([0f, 3, 1, 4, 2, 5], oihw.data<float>().ToArray());

        var dense = new Tfjs.TfjsTensor("d", [2, 3], Tfjs.TfjsStorage.Float32, 0, 24, [0, 1, 2, 3, 4, 5]);
        using var linear = Tfjs.TfjsLayout.DenseWeight(dense);
        Assert.Equal([3L, 2], linear.shape);
        Assert.Equal([0f, 3, 1, 4, 2, 5], linear.data<float>().ToArray());

        var depthwise = new Tfjs.TfjsTensor("dw", [1, 2, 3, 1], Tfjs.TfjsStorage.Float32, 0, 24, [0, 1, 2, 3, 4, 5]);
        using var grouped = Tfjs.TfjsLayout.DepthwiseFilter(depthwise);
        Assert.Equal([3L, 1, 1, 2], grouped.shape);
        Assert.Equal([0f, 3, 1, 4, 2, 5], grouped.data<float>().ToArray());
    }

    private string WriteManifest(string json)
    {
        var path = Path.Combine(_directory, "w-weights_manifest.json");
        File.WriteAllText(path, json);
        return path;
    }
}

#:project ../../../src/FaceService.Faces/FaceService.Faces.csproj
// Writes the package's demo images as decoded by the service (ImageDecoder, EXIF-oriented RGB) to raw files, so that
// face-api's own code (make-reference.cjs) runs on exactly the pixels the C# tests see.
// Usage: dotnet run decode-demo-images.cs -- <face-api package dir> <output dir>
using FaceService.Faces.Imaging;

var (package, output) = (args[0], args[1]);
Directory.CreateDirectory(output);
for (var k = 1; k <= 6; k++)
{
    var image = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(package, "demo", $"sample{k}.jpg")), new ImageDecodeOptions());
    File.WriteAllBytes(Path.Combine(output, $"sample{k}.rgb"), image.Pixels);
    File.WriteAllText(Path.Combine(output, $"sample{k}.json"), $"{{\"width\":{image.Width},\"height\":{image.Height}}}");
    Console.WriteLine($"sample{k}: {image.Width}x{image.Height}");
}

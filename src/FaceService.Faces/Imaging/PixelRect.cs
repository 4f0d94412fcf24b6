namespace FaceService.Faces.Imaging;

/// <summary>An integer rectangle of image pixels.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height);

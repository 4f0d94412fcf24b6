using System.Runtime.InteropServices;
using FaceService.Faces.Imaging.Jpeg;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace FaceService.Faces.Imaging;

/// <summary>
/// Untrusted bytes → upright 8-bit RGB. The header is read first so an oversized image is refused before any
/// pixel buffer is allocated; EXIF orientation is applied so landmarks are found on an upright face.
/// JPEGs are decoded by <see cref="JpegJsCompatibleDecoder"/>, a port of jpeg-js 0.4.4, the decoder face-api's
/// reference outputs were recorded with: JPEG decoders legitimately differ by a grey level or two (IDCT, chroma
/// upsampling, rounding), and ImageSharp's difference alone moved detections by up to 2.25 px and landmarks by 1 px.
/// With identical pixels the pipeline reproduces face-api from the JPEG itself. Other formats use ImageSharp.
/// </summary>
public static class ImageDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (data.IsEmpty)
            throw new ImageDecodeException(ImageDecodeError.Empty, "The image is empty (zero bytes).");

        var info = Identify(data, out var format);
        var pixels = (long)info.Width * info.Height;
        if (pixels > options.MaxPixels)
            throw new ImageDecodeException(ImageDecodeError.TooLarge,
                $"The image is {info.Width}x{info.Height} ({pixels} pixels); the limit is {options.MaxPixels} pixels.");

        // The JPEG decoder refuses truncated data (ImageSharp would fill the missing part with grey: a face found on
        // half a photo is worse than an error).
        if (format is JpegFormat)
        {
            var stored = JpegJsCompatibleDecoder.Decode(data, options);
            return ExifOrientation.ToUpright(stored, info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value ?? 1);
        }

        try
        {
            using var image = Image.Load<Rgb24>(data);
            image.Mutate(x => x.AutoOrient());
            var rgb = new byte[checked(image.Width * image.Height * 3)];
            image.CopyPixelDataTo(MemoryMarshal.Cast<byte, Rgb24>(rgb.AsSpan()));
            return new RgbImage(image.Width, image.Height, rgb);
        }
        catch (NotSupportedException e)
        {
            // e.g. an unusual TIFF compression: a variant of the format we cannot read
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, $"This {format.Name} variant is not supported: {e.Message}", e);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidDataException or IndexOutOfRangeException or ArgumentException)
        {
            throw new ImageDecodeException(ImageDecodeError.Corrupt, $"The {format.Name} data is corrupt: {e.Message}", e);
        }
    }

    private static unsafe IImageInfo Identify(ReadOnlySpan<byte> data, out IImageFormat format)
    {
        IImageInfo? info;
        IImageFormat? detected;
        try
        {
            // ImageSharp 2 identifies only from arrays or streams; a stream over the span avoids copying the upload.
            fixed (byte* start = data)
            {
                using var stream = new UnmanagedMemoryStream(start, data.Length);
                info = Image.Identify(stream, out detected);
            }
        }
        catch (Exception e) when (e is UnknownImageFormatException or NotSupportedException)
        {
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, "The data is not an image in a supported format (JPEG, PNG, BMP, GIF, TIFF, WebP, TGA, PBM).", e);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidDataException or IndexOutOfRangeException or ArgumentException
                                       or NullReferenceException) // ImageSharp 2 on some damaged JPEG headers
        {
            throw new ImageDecodeException(ImageDecodeError.Corrupt, $"The image header is corrupt: {e.Message}", e);
        }

        if (detected is null)
            throw new ImageDecodeException(ImageDecodeError.UnsupportedFormat, "The data is not an image in a supported format (JPEG, PNG, BMP, GIF, TIFF, WebP, TGA, PBM).");
        if (info is null || info.Width <= 0 || info.Height <= 0)
            throw new ImageDecodeException(ImageDecodeError.Corrupt, $"The {detected.Name} header has no valid dimensions.");
        format = detected;
        return info;
    }
}

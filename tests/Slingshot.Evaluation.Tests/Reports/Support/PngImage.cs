using System.Buffers.Binary;
using System.IO.Compression;

namespace Slingshot.Evaluation.Tests.Reports.Support;

/// <summary>
/// A decoded PNG, enough of the format to read browser screenshots: 8-bit RGB or RGBA, not interlaced, all five
/// row filters. Anything else is rejected rather than misread.
/// </summary>
internal sealed class PngImage
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly byte[] _rgb;

    private PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        _rgb = rgb;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The pixel's red, green and blue (alpha is dropped: screenshots are opaque).</summary>
    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var offset = (y * Width + x) * 3;
            return (_rgb[offset], _rgb[offset + 1], _rgb[offset + 2]);
        }
    }

    public static PngImage Decode(byte[] png)
    {
        if (png.Length < Signature.Length || !png.AsSpan(0, Signature.Length).SequenceEqual(Signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }
        int width = 0, height = 0, channels = 0;
        using var compressed = new MemoryStream();
        var position = Signature.Length;
        while (position + 12 <= png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            var type = System.Text.Encoding.ASCII.GetString(png, position + 4, 4);
            var data = png.AsSpan(position + 8, length);
            switch (type)
            {
                case "IHDR":
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    var (bitDepth, colorType, interlace) = (data[8], data[9], data[12]);
                    channels = colorType switch
                    {
                        2 => 3,
                        6 => 4,
                        _ => throw new NotSupportedException($"PNG color type {colorType} is not supported."),
                    };
                    if (bitDepth != 8 || interlace != 0)
                    {
                        throw new NotSupportedException($"PNG bit depth {bitDepth}, interlace {interlace} is not supported.");
                    }
                    break;
                case "IDAT":
                    compressed.Write(data);
                    break;
            }
            if (type == "IEND")
            {
                break;
            }
            position += 12 + length; // length, type, data, CRC
        }
        if (channels == 0)
        {
            throw new InvalidDataException("PNG without an IHDR chunk.");
        }

        var stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        compressed.Position = 0;
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.ReadExactly(raw);
        }
        var pixels = Unfilter(raw, width, height, channels);
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += channels)
        {
            rgb[i] = pixels[j];
            rgb[i + 1] = pixels[j + 1];
            rgb[i + 2] = pixels[j + 2];
        }
        return new PngImage(width, height, rgb);
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int channels)
    {
        var stride = width * channels;
        var output = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var source = raw.AsSpan(y * (stride + 1) + 1, stride);
            var row = output.AsSpan(y * stride, stride);
            ReadOnlySpan<byte> previous = y == 0 ? new byte[stride] : output.AsSpan((y - 1) * stride, stride);
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? row[x - channels] : 0;
                int up = previous[x];
                int upLeft = x >= channels ? previous[x - channels] : 0;
                int predicted = filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter} on row {y}."),
                };
                row[x] = (byte)(source[x] + predicted);
            }
        }
        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.WebUtilities;

namespace NeoWorker.Api.Jobs.Listing;

/// <summary>
/// Where a page ended: the (requested_at, id) key of its last job. Opaque to clients (base64url of
/// 8 bytes of microseconds since the epoch and the 16 bytes of the id); the next page starts below it.
/// </summary>
public readonly record struct JobCursor(DateTimeOffset RequestedAt, Guid JobId)
{
    private const int Length = 8 + 16;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, (RequestedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        JobId.TryWriteBytes(bytes[8..], bigEndian: true, out _);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static bool TryDecode(string? text, [NotNullWhen(true)] out JobCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length != Length)
        {
            return false;
        }

        var micros = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (micros < 0 || micros > (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10)
        {
            return false;
        }

        cursor = new JobCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), new Guid(bytes.AsSpan(8), bigEndian: true));
        return true;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace NeoWorker.Attestation;

/// <summary>The content hashes a proof statement names (code, input, result): lowercase hex SHA-256 of UTF-8.</summary>
public static class ContentHash
{
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

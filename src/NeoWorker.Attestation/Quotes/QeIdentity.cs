using System.Globalization;
using System.Text.Json;

namespace NeoWorker.Attestation.Quotes;

/// <summary>The body of an Intel QE Identity (<c>enclaveIdentity</c>, id "QE", version 2): what a genuine quoting enclave looks like.</summary>
internal sealed class QeIdentity
{
    private const string What = "QE Identity";

    private QeIdentity(DateTimeOffset issueDate, DateTimeOffset nextUpdate, uint miscSelect, uint miscSelectMask,
        byte[] attributes, byte[] attributesMask, byte[] mrSigner, int isvProdId, IReadOnlyList<QeTcbLevel> levels)
    {
        IssueDate = issueDate;
        NextUpdate = nextUpdate;
        MiscSelect = miscSelect;
        MiscSelectMask = miscSelectMask;
        Attributes = attributes;
        AttributesMask = attributesMask;
        MrSigner = mrSigner;
        IsvProdId = isvProdId;
        Levels = levels;
    }

    public DateTimeOffset IssueDate { get; }

    public DateTimeOffset NextUpdate { get; }

    public uint MiscSelect { get; }

    public uint MiscSelectMask { get; }

    /// <summary>16 bytes in report byte order (FLAGS then XFRM, little-endian).</summary>
    public byte[] Attributes { get; }

    public byte[] AttributesMask { get; }

    public byte[] MrSigner { get; }

    public int IsvProdId { get; }

    public IReadOnlyList<QeTcbLevel> Levels { get; }

    public static QeIdentity Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var id = CollateralJson.String(root, "id", What);
            if (id != "QE") throw new CollateralFormatException($"QE Identity id '{id}' is not 'QE'.");
            var version = CollateralJson.Int(root, "version", What);
            if (version != 2) throw new CollateralFormatException($"QE Identity version {version} is not supported; expected 2.");

            var levels = CollateralJson.Array(root, "tcbLevels", What).Select(ParseLevel).ToArray();
            if (levels.Length == 0) throw new CollateralFormatException("QE Identity has no TCB levels.");
            return new QeIdentity(
                CollateralJson.Date(root, "issueDate", What),
                CollateralJson.Date(root, "nextUpdate", What),
                HexUInt32(root, "miscselect"),
                HexUInt32(root, "miscselectMask"),
                CollateralJson.HexProperty(root, "attributes", 16, What),
                CollateralJson.HexProperty(root, "attributesMask", 16, What),
                CollateralJson.HexProperty(root, "mrsigner", 32, What),
                CollateralJson.Int(root, "isvprodid", What),
                levels);
        }
        catch (JsonException e)
        {
            throw new CollateralFormatException($"QE Identity is not valid JSON: {e.Message}");
        }
    }

    // MISCSELECT is written as the 8-hex-digit number (as Intel's QVL reads it), not in report byte order.
    private static uint HexUInt32(JsonElement root, string name)
    {
        var text = CollateralJson.String(root, name, What);
        return text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CollateralFormatException($"QE Identity '{name}' is not 8 hex digits.");
    }

    private static QeTcbLevel ParseLevel(JsonElement level)
    {
        const string what = "A QE Identity level";
        var tcb = CollateralJson.Property(level, "tcb", what);
        return new QeTcbLevel(
            CollateralJson.Int(tcb, "isvsvn", what),
            CollateralJson.Date(level, "tcbDate", what),
            CollateralJson.String(level, "tcbStatus", what),
            CollateralJson.StringArrayOrEmpty(level, "advisoryIDs", what));
    }
}

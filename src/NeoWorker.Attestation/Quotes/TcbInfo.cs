using System.Text.Json;

namespace NeoWorker.Attestation.Quotes;

/// <summary>
/// The body of an Intel SGX TCB Info, version 2 (<c>sgxtcbcomp01svn</c>…<c>sgxtcbcomp16svn</c>) or 3
/// (<c>id:"SGX"</c>, <c>sgxtcbcomponents[16].svn</c>, <c>advisoryIDs</c>). Levels are in Intel's order, best first.
/// </summary>
internal sealed class TcbInfo
{
    private const string What = "TCB Info";

    private TcbInfo(int version, DateTimeOffset issueDate, DateTimeOffset nextUpdate, byte[] fmspc, byte[] pceId,
        int tcbEvaluationDataNumber, IReadOnlyList<TcbLevel> levels)
    {
        Version = version;
        IssueDate = issueDate;
        NextUpdate = nextUpdate;
        Fmspc = fmspc;
        PceId = pceId;
        TcbEvaluationDataNumber = tcbEvaluationDataNumber;
        Levels = levels;
    }

    public int Version { get; }

    public DateTimeOffset IssueDate { get; }

    public DateTimeOffset NextUpdate { get; }

    public byte[] Fmspc { get; }

    public byte[] PceId { get; }

    public int TcbEvaluationDataNumber { get; }

    public IReadOnlyList<TcbLevel> Levels { get; }

    public static TcbInfo Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var version = CollateralJson.Int(root, "version", What);
            if (version is not (2 or 3))
                throw new CollateralFormatException($"TCB Info version {version} is not supported; expected 2 or 3.");
            if (version == 3 && CollateralJson.String(root, "id", What) != "SGX")
                throw new CollateralFormatException($"TCB Info id '{CollateralJson.String(root, "id", What)}' is not 'SGX'.");
            var tcbType = CollateralJson.Int(root, "tcbType", What);
            if (tcbType != 0)
                throw new CollateralFormatException($"TCB Info tcbType {tcbType} is not supported; expected 0.");

            var levels = CollateralJson.Array(root, "tcbLevels", What).Select(level => ParseLevel(level, version)).ToArray();
            if (levels.Length == 0) throw new CollateralFormatException("TCB Info has no TCB levels.");
            return new TcbInfo(
                version,
                CollateralJson.Date(root, "issueDate", What),
                CollateralJson.Date(root, "nextUpdate", What),
                CollateralJson.HexProperty(root, "fmspc", 6, What),
                CollateralJson.HexProperty(root, "pceId", 2, What),
                CollateralJson.Int(root, "tcbEvaluationDataNumber", What),
                levels);
        }
        catch (JsonException e)
        {
            throw new CollateralFormatException($"TCB Info is not valid JSON: {e.Message}");
        }
    }

    private static TcbLevel ParseLevel(JsonElement level, int version)
    {
        const string what = "A TCB Info level";
        var tcb = CollateralJson.Property(level, "tcb", what);
        int[] components;
        if (version == 2)
        {
            components = Enumerable.Range(1, 16).Select(i => CollateralJson.Int(tcb, $"sgxtcbcomp{i:00}svn", what)).ToArray();
        }
        else
        {
            components = CollateralJson.Array(tcb, "sgxtcbcomponents", what)
                .Select(component => CollateralJson.Int(component, "svn", what)).ToArray();
            if (components.Length != 16)
                throw new CollateralFormatException($"A TCB Info level has {components.Length} sgxtcbcomponents; expected 16.");
        }
        return new TcbLevel(
            components,
            CollateralJson.Int(tcb, "pcesvn", what),
            CollateralJson.Date(level, "tcbDate", what),
            CollateralJson.String(level, "tcbStatus", what),
            CollateralJson.StringArrayOrEmpty(level, "advisoryIDs", what));
    }
}

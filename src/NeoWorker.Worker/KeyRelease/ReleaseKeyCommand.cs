using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using NeoWorker.Attestation.Proofs;
using NeoWorker.Attestation.Quotes;
using NeoWorker.Attestation.Sealing;

namespace NeoWorker.Worker.KeyRelease;

/// <summary>
/// <c>NeoWorker.Worker release-key …</c> (ops/release_sealing_key.sh): the operator's answer to enclaves' key requests.
/// Verifies each request (the quote under Intel's root, or a deployment's simulation root when simulated quotes are
/// allowed; the policy; the binding of the enclave key and of the transport key) and writes the release, the sealing
/// keys wrapped to that enclave's transport key. Run it where the sealing keys are kept, not on a worker host. It prints
/// key ids and measurements only: never a key, and a refusal names the check that failed.
/// </summary>
public static class ReleaseKeyCommand
{
    public const string Verb = "release-key";

    /// <summary>Exit codes: every request released; a usage or input error; a request refused.</summary>
    public const int Released = 0, Usage = 2, Refused = 3;

    private const string RequestSuffix = ".request.json";
    private const string ReleaseSuffix = ".release.json";

    private const string UsageText = """
        usage: release-key (--request FILE [--out FILE] | --requests DIR)
                           --key SEALING_KEY.pem [--key OLDER.pem …]
                           (--mrenclave HEX | --mrsigner HEX) [more …]
                           [--simulation-root ROOT.pem --allow-simulated] [--allow-debug]
                           [--min-isvsvn N] [--collateral DCAP_QVL.json] [--accept-tcb STATUS …]
          --request FILE    one key request; the release goes to --out (default: FILE with .request.json → .release.json)
          --requests DIR    every *.request.json in DIR without its .release.json (a worker's Tee:KeyRelease:RequestDirectory)
          --key             the fleet's sealing private keys (PKCS#8 PEM), newest first; the enclave gets all of them
          --mrenclave/--mrsigner  the enclaves that may receive the keys (hex); at least one is required
          --simulation-root the deployment's simulation root (PEM); simulated quotes are accepted only with --allow-simulated
          --collateral      Intel TCB collateral (dcap-qvl JSON) for hardware quotes; without it add --accept-tcb NotEvaluated
        """;

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (!Arguments.TryParse(args.Skip(1), out var arguments, out var problem))
        {
            await errors.WriteLineAsync($"release-key: {problem}\n{UsageText}").ConfigureAwait(false);
            return Usage;
        }

        List<SealingKeyPair> keys = [];
        try
        {
            var trust = Trust(arguments);
            keys = [.. arguments.KeyFiles.Select(file => SealingKeyPair.FromPem(File.ReadAllText(file)))];
            var pairs = Requests(arguments);
            if (pairs.Count == 0)
            {
                await errors.WriteLineAsync($"release-key: no unanswered *{RequestSuffix} in {arguments.RequestDirectory}").ConfigureAwait(false);
                return Released;
            }

            var releaser = new SealingKeyReleaser();
            var exit = Released;
            foreach (var (requestFile, releaseFile) in pairs)
            {
                var verdict = releaser.Release(await File.ReadAllTextAsync(requestFile).ConfigureAwait(false), keys, trust);
                if (!verdict.IsReleased)
                {
                    await errors.WriteLineAsync($"refused {requestFile}: {verdict.FailureReason}").ConfigureAwait(false);
                    exit = Refused;
                    continue;
                }

                WriteWhole(releaseFile, verdict.Envelope!);
                var evidence = verdict.Evidence!;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"released {string.Join(", ", verdict.SealingKeyIds!)} to enclave key {verdict.Request!.EnclaveKeyId} "
                    + $"({(verdict.IsSimulated ? "simulated" : "SGX")}, MRENCLAVE {evidence.MrEnclaveHex}, MRSIGNER {evidence.MrSignerHex}, "
                    + $"ISV SVN {evidence.Quote!.ReportBody.IsvSvn}): {releaseFile}")).ConfigureAwait(false);
            }

            return exit;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SealingKeyFormatException
            or CollateralFormatException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // The messages name files and formats, never key material.
            await errors.WriteLineAsync($"release-key: {ex.Message}").ConfigureAwait(false);
            return Usage;
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    private static ProofTrust Trust(Arguments arguments)
    {
        var accepted = new HashSet<TcbStatus>(QuotePolicy.DefaultAcceptedTcbStatuses);
        accepted.UnionWith(arguments.AcceptTcb);
        var policy = new QuotePolicy
        {
            AllowedMrEnclaves = arguments.MrEnclaves,
            AllowedMrSigners = arguments.MrSigners,
            AllowSimulated = arguments.AllowSimulated,
            AllowDebug = arguments.AllowDebug,
            MinimumIsvSvn = arguments.MinimumIsvSvn,
            AcceptedTcbStatuses = accepted,
        };
        var simulationRoot = arguments.SimulationRoot is { } root ? X509Certificate2.CreateFromPem(File.ReadAllText(root)) : null;
        var collateral = arguments.Collateral is { } file ? QuoteCollateral.FromDcapQvlJson(File.ReadAllText(file)) : null;
        return new ProofTrust(IntelSgx.LoadRootCa(), simulationRoot, collateral, policy);
    }

    private static List<(string Request, string Release)> Requests(Arguments arguments)
    {
        if (arguments.RequestFile is { } request)
        {
            var release = arguments.OutFile ?? (request.EndsWith(RequestSuffix, StringComparison.Ordinal)
                ? request[..^RequestSuffix.Length] + ReleaseSuffix
                : request + ReleaseSuffix);
            return [(request, release)];
        }

        return [.. Directory.EnumerateFiles(arguments.RequestDirectory!, "*" + RequestSuffix)
            .Order(StringComparer.Ordinal)
            .Select(file => (file, file[..^RequestSuffix.Length] + ReleaseSuffix))
            .Where(pair => !File.Exists(pair.Item2))];
    }

    private static void WriteWhole(string file, string text)
    {
        var staging = file + ".tmp";
        File.WriteAllText(staging, text + "\n");
        File.Move(staging, file, overwrite: true);
    }

    private sealed class Arguments
    {
        public string? RequestFile { get; private set; }

        public string? RequestDirectory { get; private set; }

        public string? OutFile { get; private set; }

        public List<string> KeyFiles { get; } = [];

        public List<string> MrEnclaves { get; } = [];

        public List<string> MrSigners { get; } = [];

        public string? SimulationRoot { get; private set; }

        public string? Collateral { get; private set; }

        public bool AllowSimulated { get; private set; }

        public bool AllowDebug { get; private set; }

        public ushort? MinimumIsvSvn { get; private set; }

        public List<TcbStatus> AcceptTcb { get; } = [];

        public static bool TryParse(IEnumerable<string> args, out Arguments parsed, out string problem)
        {
            parsed = new Arguments();
            problem = "";
            var queue = new Queue<string>(args);
            while (queue.TryDequeue(out var option))
            {
                string Value() => queue.TryDequeue(out var value) ? value : throw new FormatException($"{option} needs a value");
                try
                {
                    switch (option)
                    {
                        case "--request": parsed.RequestFile = Value(); break;
                        case "--requests": parsed.RequestDirectory = Value(); break;
                        case "--out": parsed.OutFile = Value(); break;
                        case "--key": parsed.KeyFiles.Add(Value()); break;
                        case "--mrenclave": parsed.MrEnclaves.Add(Measurement(option, Value())); break;
                        case "--mrsigner": parsed.MrSigners.Add(Measurement(option, Value())); break;
                        case "--simulation-root": parsed.SimulationRoot = Value(); break;
                        case "--collateral": parsed.Collateral = Value(); break;
                        case "--allow-simulated": parsed.AllowSimulated = true; break;
                        case "--allow-debug": parsed.AllowDebug = true; break;
                        case "--min-isvsvn":
                            parsed.MinimumIsvSvn = ushort.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var svn)
                                ? svn : throw new FormatException("--min-isvsvn needs a number from 0 to 65535");
                            break;
                        case "--accept-tcb":
                            parsed.AcceptTcb.Add(Enum.TryParse<TcbStatus>(Value(), ignoreCase: false, out var status) && Enum.IsDefined(status)
                                ? status : throw new FormatException($"--accept-tcb takes one of {string.Join(", ", Enum.GetNames<TcbStatus>())}"));
                            break;
                        default: throw new FormatException($"unknown option '{option}'");
                    }
                }
                catch (FormatException e)
                {
                    problem = e.Message;
                    return false;
                }
            }

            problem = parsed.Check() ?? "";
            return problem.Length == 0;
        }

        private static string Measurement(string option, string value) =>
            value.Length == 64 && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : throw new FormatException($"{option} takes 64 hex digits");

        private string? Check()
        {
            if ((RequestFile is null) == (RequestDirectory is null)) return "give either --request FILE or --requests DIR";
            if (OutFile is not null && RequestFile is null) return "--out goes with --request";
            if (KeyFiles.Count == 0) return "give the sealing private key(s) to release with --key";
            if (MrEnclaves.Count == 0 && MrSigners.Count == 0)
                return "name the enclaves that may receive the keys with --mrenclave or --mrsigner (releasing to any enclave would give them to anyone who can build one)";
            if (AllowSimulated && SimulationRoot is null) return "--allow-simulated needs --simulation-root (the deployment's simulation root)";
            return null;
        }
    }
}

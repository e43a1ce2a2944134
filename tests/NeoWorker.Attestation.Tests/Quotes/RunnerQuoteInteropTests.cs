using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using NeoWorker.Attestation.Quotes;

namespace NeoWorker.Attestation.Tests.Quotes;

/// <summary>
/// A second implementation of the simulated quote: the enclave runner's JavaScript (src/attest.js). Its quote and
/// proofs, recorded in <c>TestData/runner-quote-interop.json</c> (made by the runner's
/// <c>scripts/make-quote-interop-fixture.js</c> under throwaway keys from ops/lib.sh), must verify here, and its
/// bytes must match <see cref="SimulatedQuoteBuilder"/>'s wherever the layout is not randomized.
/// </summary>
public sealed class RunnerQuoteInteropTests
{
    private static readonly Lazy<Fixture> Data = new(Fixture.Load);

    private static Fixture F => Data.Value;

    [Fact]
    public void The_runners_quote_verifies_against_its_simulation_root_as_simulated()
    {
        var result = F.Verify(new QuotePolicy { AllowSimulated = true });

        QuoteAssert.Valid(result);
        Assert.True(result.IsSimulated);
        Assert.Equal(TcbStatus.Simulated, result.TcbStatus);
        Assert.False(result.IsDebug);
        foreach (var name in new[] { QuoteCheckNames.PckChain, QuoteCheckNames.QeReportSignature, QuoteCheckNames.QeReportBinding, QuoteCheckNames.IsvReportSignature })
            Assert.True(result.Check(name)!.Passed, name);
    }

    [Fact]
    public void Report_data_binds_the_enclave_key_and_the_identity_is_the_runners()
    {
        var result = F.Verify(new QuotePolicy { AllowSimulated = true, AllowedMrEnclaves = [F.MrEnclaveHex] });

        QuoteAssert.Valid(result);
        Assert.Equal([.. SHA256.HashData(F.EnclavePublicKey), .. new byte[32]], result.ReportData.ToArray());
        Assert.Equal(F.MrEnclaveHex, result.MrEnclaveHex);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("neoworker-simulation-signer"u8)), result.MrSignerHex);
        Assert.Equal(1, result.Quote!.ReportBody.IsvProdId);
        Assert.Equal(1, result.Quote.ReportBody.IsvSvn);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(F.EnclavePublicKey).AsSpan(0, 16)), F.EnclaveKeyId);
    }

    [Fact]
    public void Under_the_default_policy_it_is_refused_only_for_being_simulated()
    {
        QuoteAssert.FailedExactly(F.Verify(QuotePolicy.Default), QuoteCheckNames.PolicySimulated);
    }

    [Fact]
    public void Its_bytes_equal_the_csharp_builders_except_where_the_layout_is_randomized()
    {
        using var pckKey = ECDsa.Create();
        pckKey.ImportFromPem(F.PckKeyPem);
        var parsed = SgxQuote.Parse(F.Quote);
        var expected = new SimulatedQuoteBuilder(pckKey, F.PckChainPem).Build(new SimulatedEnclaveReport
        {
            ReportData = parsed.ReportBody.ReportData,
            MrEnclave = parsed.ReportBody.MrEnclave,
            MrSigner = SHA256.HashData("neoworker-simulation-signer"u8),
            IsvProdId = 1,
            IsvSvn = 1,
            Debug = false,
        });

        Assert.Equal(expected.Length, F.Quote.Length);
        // Randomized: ISV signature and attestation key [436,564), the QE REPORTDATA hash [884,916), the QE report signature [948,1012).
        byte[] Masked(byte[] quote)
        {
            var copy = (byte[])quote.Clone();
            copy.AsSpan(436, 128).Clear();
            copy.AsSpan(884, 32).Clear();
            copy.AsSpan(948, 64).Clear();
            return copy;
        }
        Assert.Equal(Convert.ToHexString(Masked(expected)), Convert.ToHexString(Masked(F.Quote)));
    }

    [Fact]
    public void Every_proof_statement_is_canonical_and_signed_by_the_enclave_key()
    {
        using var enclaveKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = F.EnclavePublicKey[1..33], Y = F.EnclavePublicKey[33..] },
        });
        string[] keys = ["jobId", "functionId", "userId", "codeSha256", "inputSha256", "status", "resultSha256", "executedAt", "enclaveKeyId"];
        Assert.Equal(3, F.Jobs.Count);
        Assert.Equal(["Succeeded", "Failed", "TimedOut"], F.Jobs.Select(j => j.Result.GetProperty("status").GetString()));

        foreach (var job in F.Jobs)
        {
            var proof = job.Result.GetProperty("proof");
            var statement = proof.GetProperty("statement").GetString()!;
            var signature = Convert.FromBase64String(proof.GetProperty("signature").GetString()!);
            Assert.True(enclaveKey.VerifyData(Encoding.UTF8.GetBytes(statement), signature, HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation), statement);
            Assert.False(enclaveKey.VerifyData(Encoding.UTF8.GetBytes(statement.Replace("\"dev\"", "\"eve\"", StringComparison.Ordinal)), signature,
                HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

            using var document = JsonDocument.Parse(statement);
            var s = document.RootElement;
            Assert.Equal(keys, s.EnumerateObject().Select(p => p.Name));
            Assert.Equal(job.Request.GetProperty("id").GetString(), s.GetProperty("jobId").GetString());
            Assert.Equal(job.Request.GetProperty("functionId").GetString(), s.GetProperty("functionId").GetString());
            Assert.Equal(job.Request.GetProperty("userId").GetString(), s.GetProperty("userId").GetString());
            Assert.Equal(Sha256Hex(Text(job.Request, "code")), s.GetProperty("codeSha256").GetString());
            Assert.Equal(Sha256Hex(Text(job.Request, "input")), s.GetProperty("inputSha256").GetString());
            Assert.Equal(job.Result.GetProperty("status").GetString(), s.GetProperty("status").GetString());
            Assert.Equal(Sha256Hex(Text(job.Result, "result")), s.GetProperty("resultSha256").GetString());
            Assert.Equal(F.EnclaveKeyId, s.GetProperty("enclaveKeyId").GetString());
            var executedAt = s.GetProperty("executedAt").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", executedAt);
            Assert.True(DateTimeOffset.TryParse(executedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Sha256Hex(string? text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? "")));

    private sealed record Job(JsonElement Request, JsonElement Result);

    private sealed class Fixture
    {
        public required byte[] Quote { get; init; }
        public required byte[] EnclavePublicKey { get; init; }
        public required string EnclaveKeyId { get; init; }
        public required string MrEnclaveHex { get; init; }
        public required string RootPem { get; init; }
        public required string PckKeyPem { get; init; }
        public required string PckChainPem { get; init; }
        public required DateTimeOffset VerifyAt { get; init; }
        public required IReadOnlyList<Job> Jobs { get; init; }

        public QuoteVerificationResult Verify(QuotePolicy policy)
        {
            using var root = X509Certificate2.CreateFromPem(RootPem);
            return new QuoteVerifier(new FixedClock(VerifyAt)).Verify(Quote, root, null, policy);
        }

        public static Fixture Load()
        {
            var root = JsonDocument.Parse(File.ReadAllText(Find())).RootElement;
            var attestation = root.GetProperty("attestation");
            Assert.Equal("sgx-dcap-quote-v3", attestation.GetProperty("evidenceType").GetString());
            Assert.True(attestation.GetProperty("simulated").GetBoolean());
            return new Fixture
            {
                Quote = Convert.FromBase64String(attestation.GetProperty("evidence").GetString()!),
                EnclavePublicKey = Convert.FromBase64String(attestation.GetProperty("enclavePublicKey").GetString()!),
                EnclaveKeyId = attestation.GetProperty("enclaveKeyId").GetString()!,
                MrEnclaveHex = attestation.GetProperty("mrenclave").GetString()!,
                RootPem = root.GetProperty("throwawayTestSimulationRootPem").GetString()!,
                PckKeyPem = root.GetProperty("throwawayTestSimulatedPckKeyPem").GetString()!,
                PckChainPem = root.GetProperty("throwawayTestSimulatedPckChainPem").GetString()!,
                VerifyAt = DateTimeOffset.Parse(root.GetProperty("verifyAt").GetString()!, CultureInfo.InvariantCulture),
                Jobs = root.GetProperty("jobs").EnumerateArray().Select(j => new Job(j.GetProperty("request"), j.GetProperty("result"))).ToList(),
            };
        }

        private static string Find()
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                foreach (var candidate in new[]
                {
                    Path.Combine(directory.FullName, "tests", "NeoWorker.Attestation.Tests", "Quotes", "TestData", "runner-quote-interop.json"),
                    Path.Combine(directory.FullName, "Quotes", "TestData", "runner-quote-interop.json"),
                })
                {
                    if (File.Exists(candidate)) return candidate;
                }
            }
            throw new FileNotFoundException("tests/NeoWorker.Attestation.Tests/Quotes/TestData/runner-quote-interop.json not found above " + AppContext.BaseDirectory);
        }
    }
}

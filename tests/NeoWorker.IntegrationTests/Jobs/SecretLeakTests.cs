using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Npgsql;
using NeoWorker.Attestation.Sealing;
using NeoWorker.IntegrationTests.Infrastructure;

namespace NeoWorker.IntegrationTests.Jobs;

/// <summary>
/// A secret is plaintext only inside the enclave: not in any RabbitMQ message, PostgreSQL column,
/// API or worker log line, or temp file — whichever of the three ways it came in.
/// </summary>
[Collection(nameof(ServicesCollection))]
public sealed class SecretLeakTests(ServicesFixture services)
{
    private const string Probe = "function main(input, secrets) { return { length: secrets[input.name].length }; }";

    [Fact]
    public async Task A_marker_secret_sent_each_of_the_three_ways_reaches_main_and_appears_nowhere_outside_the_enclave()
    {
        var marker = "leak-marker-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var client = services.CreateClient(services.Tenant);
        var api = new JobsApi(client);
        await using var spy = await SpyQueue.StartAsync(services.Services);
        Assert.True(spy.ExchangeCount >= 2, $"the spy is bound to only {spy.ExchangeCount} exchanges");

        // 1. The seed's plaintext field, sealed by the API on arrival.
        var plaintext = await api.SubmitAndWaitAsync(new { code = Probe, input = """{"name":"token"}""", secrets = $$"""{"token":"{{marker}}"}""", functionId = "leak_probe" });

        // 2. Sealed by the client with the fleet public key.
        var envelope = new SecretSealer().Seal(services.Sealing.Pair.PublicKey, $$"""{"token":"{{marker}}"}""", services.Tenant.UserId, "leak_probe");
        var clientSealed = await api.SubmitAndWaitAsync(new { code = Probe, input = """{"name":"token"}""", sealedSecrets = envelope, functionId = "leak_probe" });

        // 3. A named secret of the user, referenced by name.
        var name = "leak_" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/secrets/{name}", new { value = marker })).StatusCode);
        var named = await api.SubmitAndWaitAsync(new { code = Probe, input = $$"""{"name":"{{name}}"}""", functionId = "leak_probe", secretNames = new[] { name } });

        foreach (var job in new[] { plaintext, clientSealed, named })
        {
            Assert.Equal("Succeeded", (string?)job["status"]);
            Assert.Equal(marker.Length, (int)job["result"]!["length"]!);
        }

        // Events and commands are published before the jobs finish; give the spy a moment to drain.
        await Task.Delay(500);
        Assert.NotEmpty(spy.Bodies);
        Assert.DoesNotContain(spy.Bodies, body => body.Contains(marker, StringComparison.Ordinal));
        Assert.Empty(await ColumnsContainingAsync(marker));
        Assert.DoesNotContain(marker, services.Worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, services.ApiOutput, StringComparison.Ordinal);
        Assert.Empty(TempFilesContaining(marker));
    }

    [Fact]
    public async Task What_a_function_itself_logs_or_throws_is_its_own_output_for_its_owner_and_never_in_NeoWorkers_logs()
    {
        var marker = "own-output-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        const string leaky = "function main(input, secrets) { console.log('the token is ' + secrets.token); throw new Error('token ' + secrets.token); }";
        var api = new JobsApi(services.CreateClient(services.Tenant));

        var job = await api.SubmitAndWaitAsync(new { code = leaky, input = "{}", secrets = $$"""{"token":"{{marker}}"}""", functionId = "leaky" });

        // The promise: NeoWorker hands a function's logs and errors to the job's owner as they are...
        Assert.Equal("Failed", (string?)job["status"]);
        Assert.Contains(marker, (string?)job["logs"], StringComparison.Ordinal);
        Assert.Contains(marker, (string?)job["error"], StringComparison.Ordinal);

        // ...to nobody else, and never into its own logs.
        var other = await services.CreateClient(services.OtherTenant).GetAsync($"/api/v1/jobs/{(string)job["jobId"]!}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.DoesNotContain(marker, services.Worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, services.ApiOutput, StringComparison.Ordinal);
    }

    /// <summary>Every text-like column of every table in the schema, searched for the marker.</summary>
    private async Task<List<string>> ColumnsContainingAsync(string marker)
    {
        await using var connection = new NpgsqlConnection(services.Services.Postgres);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'neoworker' AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json', 'bytea')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Contains(columns, c => c.Table == "jobs" && c.Column == "sealed_secrets");
        var hits = new List<string>();
        foreach (var (table, column) in columns)
        {
            await using var search = new NpgsqlCommand(
                $"SELECT count(*) FROM neoworker.\"{table}\" WHERE position(@marker in \"{column}\"::text) > 0", connection);
            search.Parameters.AddWithValue("marker", marker);
            if ((long)(await search.ExecuteScalarAsync())! > 0)
            {
                hits.Add($"{table}.{column}");
            }
        }

        return hits;
    }

    /// <summary>Regular files under the temp directory changed during this test run that hold the marker.</summary>
    private List<string> TempFilesContaining(string marker)
    {
        // find(1) lists regular files only: reading a FIFO or socket there would block forever.
        var since = services.StartedAtUtc.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var find = new System.Diagnostics.ProcessStartInfo("find") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.GetTempPath(), "-xdev", "-type", "f", "-size", "-16M", "-newermt", since + " UTC", "-print0" })
        {
            find.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(find)!;
        var listing = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        var hits = new List<string>();
        foreach (var file in listing.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                if (File.ReadAllText(file).Contains(marker, StringComparison.Ordinal))
                {
                    hits.Add(file);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone or locked meanwhile: not ours.
            }
        }

        return hits;
    }
}

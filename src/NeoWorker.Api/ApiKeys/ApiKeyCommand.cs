using System.Globalization;
using NeoWorker.Persistence;

namespace NeoWorker.Api.ApiKeys;

/// <summary>
/// <c>NeoWorker.Api apikey create --user U --role tenant|ops [--name N]</c>, <c>apikey revoke --name N</c>,
/// <c>apikey list</c>: key administration from the command line (ops/apikey.sh), with the API's own
/// configuration (ConnectionStrings:Postgres). Prints the new key once, on stdout, and nothing else there.
/// </summary>
public static class ApiKeyCommand
{
    public const string Verb = "apikey";
    private const string Usage = """
        usage: apikey create --user USER --role tenant|ops [--name NAME]
               apikey revoke --name NAME
               apikey list
        """;

    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || !TryReadOptions(args[2..], out var options))
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.Services.AddNeoWorkerPersistence(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<ApiKeyAdministration>();
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyAdministration>();

        return args[1] switch
        {
            "create" => await CreateAsync(keys, options).ConfigureAwait(false),
            "revoke" => await RevokeAsync(keys, options).ConfigureAwait(false),
            "list" => await ListAsync(keys).ConfigureAwait(false),
            _ => await FailAsync($"unknown command '{args[1]}'\n{Usage}").ConfigureAwait(false),
        };
    }

    private static async Task<int> CreateAsync(ApiKeyAdministration keys, Dictionary<string, string> options)
    {
        if (!options.TryGetValue("user", out var user) || !options.TryGetValue("role", out var role))
        {
            return await FailAsync($"create needs --user and --role\n{Usage}").ConfigureAwait(false);
        }

        if (!ApiKeyAdministration.IsValidRole(role))
        {
            return await FailAsync("--role must be tenant or ops").ConfigureAwait(false);
        }

        if (user.Length is 0 or > 128)
        {
            return await FailAsync("--user must be 1 to 128 characters").ConfigureAwait(false);
        }

        var name = options.GetValueOrDefault("name")
            ?? $"{user}-{role}-{DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
        if (await keys.NameExistsAsync(name, CancellationToken.None).ConfigureAwait(false))
        {
            return await FailAsync($"a key named '{name}' exists already; choose another --name").ConfigureAwait(false);
        }

        var key = await keys.CreateAsync(name, user, role, CancellationToken.None).ConfigureAwait(false);
        await Console.Error.WriteLineAsync($"created key '{name}' for user '{user}' ({role}); it is shown once, store it now:").ConfigureAwait(false);
        Console.WriteLine(key);
        return 0;
    }

    private static async Task<int> RevokeAsync(ApiKeyAdministration keys, Dictionary<string, string> options)
    {
        if (!options.TryGetValue("name", out var name))
        {
            return await FailAsync($"revoke needs --name\n{Usage}").ConfigureAwait(false);
        }

        if (!await keys.RevokeAsync(name, CancellationToken.None).ConfigureAwait(false))
        {
            return await FailAsync($"no active key named '{name}'").ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync($"revoked key '{name}' (API instances stop accepting it within Api:KeyCacheSeconds, 30 s by default)").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ListAsync(ApiKeyAdministration keys)
    {
        Console.WriteLine("name\tuser\trole\tcreated\trevoked");
        foreach (var key in await keys.ListAsync(CancellationToken.None).ConfigureAwait(false))
        {
            Console.WriteLine(string.Join('\t', key.Name, key.UserId, key.Role, key.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                key.RevokedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "-"));
        }

        return 0;
    }

    private static bool TryReadOptions(string[] args, out Dictionary<string, string> options)
    {
        options = [];
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return false;
            }

            options[args[i][2..]] = args[i + 1];
        }

        return true;
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync("apikey: " + message).ConfigureAwait(false);
        return 2;
    }
}

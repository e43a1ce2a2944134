using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace NeoWorker.ServiceDefaults;

public static class LoggingHostBuilderExtensions
{
    /// <summary>
    /// Serilog to the console: readable text, or compact JSON when <c>Logging:Json=true</c> (containers).
    /// Levels come from the <c>Serilog</c> section. Properties such as JobId travel as structured fields.
    /// </summary>
    public static IHostApplicationBuilder AddNeoWorkerLogging(this IHostApplicationBuilder builder)
    {
        var json = builder.Configuration.GetValue<bool>("Logging:Json");
        builder.Services.AddSerilog((services, logger) =>
        {
            logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("MassTransit", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext();
            if (json)
            {
                logger.Enrich.WithProperty("Application", builder.Environment.ApplicationName)
                    .WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                // The properties not in the message (CorrelationId, JobId, EnclaveId … from scopes) follow it,
                // so a job can be followed through plain-text logs too.
                logger.WriteTo.Console(outputTemplate:
                    "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}");
            }
        });
        return builder;
    }
}

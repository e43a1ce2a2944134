using System.ComponentModel.DataAnnotations;

namespace NeoWorker.ServiceDefaults;

/// <summary>The broker (environment: <c>RabbitMq__Host</c>, <c>RabbitMq__Password</c>, …).</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "";

    [Required]
    public string Password { get; set; } = "";

    /// <summary>Replicated, durable quorum queues for commands (RabbitMQ 3.8+).</summary>
    public bool UseQuorumQueues { get; set; } = true;
}

using NeoWorker.Deployment.Tests.Infrastructure;

namespace NeoWorker.Deployment.Tests;

/// <summary>The YAML subset reader the compose tests rely on.</summary>
public sealed class MiniYamlTests
{
    [Fact]
    public void Mappings_sequences_quotes_flow_lists_and_comments_are_read_as_written()
    {
        const string yaml = """
            # comment
            services:
              api:
                image: "neoworker-api:${TAG:-local}"   # trailing comment
                command: ["psql", "-c", "SELECT 1, 'a # b'"]
                restart: 'no'
                ports:
                  - "127.0.0.1:8080:8080"
                healthcheck:
                  disable: true
                empty:
            volumes:
              data:
            """;

        var root = Assert.IsType<Dictionary<string, object?>>(MiniYaml.Parse(yaml));
        var api = Assert.IsType<Dictionary<string, object?>>(Assert.IsType<Dictionary<string, object?>>(root["services"])["api"]);

        Assert.Equal("neoworker-api:${TAG:-local}", api["image"]);
        Assert.Equal(new List<object?> { "psql", "-c", "SELECT 1, 'a # b'" }, api["command"]);
        Assert.Equal("no", api["restart"]);
        Assert.Equal(new List<object?> { "127.0.0.1:8080:8080" }, api["ports"]);
        Assert.Equal("true", Assert.IsType<Dictionary<string, object?>>(api["healthcheck"])["disable"]);
        Assert.Null(api["empty"]);
        Assert.True(Assert.IsType<Dictionary<string, object?>>(root["volumes"]).ContainsKey("data"));
    }

    [Theory]
    [InlineData("a: &anchor x")]
    [InlineData("a: |\n  text")]
    [InlineData("a: 1\na: 2")]
    [InlineData("a:\n  b: 1\n   c: 2")]
    public void What_it_cannot_read_faithfully_is_refused(string yaml) =>
        Assert.Throws<FormatException>(() => MiniYaml.Parse(yaml));
}

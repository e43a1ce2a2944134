using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NeoWorker.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the model without a host or a reachable database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<NeoWorkerDbContext>
{
    public NeoWorkerDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<NeoWorkerDbContext>();
        NpgsqlContextOptions.Apply(builder, "Host=localhost;Database=neoworker_design");
        return new NeoWorkerDbContext(builder.Options);
    }
}

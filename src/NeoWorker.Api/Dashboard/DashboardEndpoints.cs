using Microsoft.Net.Http.Headers;

namespace NeoWorker.Api.Dashboard;

public static class DashboardEndpoints
{
    /// <summary>
    /// The operations dashboard: <c>GET /</c> is the page, <c>GET /dashboard/{file}</c> its script and
    /// style sheet. The files are static (no build step) and public; the page asks for an API key and
    /// calls the API with it.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var assets = DashboardAssets.Load();
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], (HttpContext context) => Serve(context, assets["index.html"]))
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapMethods("/dashboard/{file}", [HttpMethods.Get, HttpMethods.Head], (string file, HttpContext context) =>
                file != "index.html" && assets.TryGetValue(file, out var asset) ? Serve(context, asset) : Results.NotFound())
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext context, DashboardAsset asset)
    {
        DashboardSecurityHeaders.Apply(context.Response.Headers);
        return TypedResults.Bytes(asset.Content, asset.ContentType, entityTag: new EntityTagHeaderValue(asset.ETag));
    }
}

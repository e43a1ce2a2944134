using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NeoWorker.Api.Authentication;

namespace NeoWorker.Api.Endpoints;

public static class CallerEndpoints
{
    public static RouteGroupBuilder MapCallerEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization().WithTags("Caller");
        me.MapGet("/", GetCaller);
        return me;
    }

    internal static Ok<CallerView> GetCaller(ClaimsPrincipal user)
    {
        var caller = Caller.From(user);
        return TypedResults.Ok(new CallerView(caller.UserId, caller.Role));
    }
}

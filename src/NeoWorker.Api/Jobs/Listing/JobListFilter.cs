using System.Globalization;
using NeoWorker.Persistence.Entities;

namespace NeoWorker.Api.Jobs.Listing;

/// <summary>A validated job listing request.</summary>
public sealed record JobListFilter(
    IReadOnlyList<JobStatus> Statuses,
    string? FunctionId,
    string? UserId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Limit,
    JobCursor? Cursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    private const int MaxIdLength = 128;

    /// <summary>Parses the query; errors are keyed by parameter name.</summary>
    public static bool TryParse(JobListQuery query, out JobListFilter filter, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var statuses = new List<JobStatus>();
        foreach (var name in (query.Status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Enum.TryParse<JobStatus>(name, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(name, out _))
            {
                if (!statuses.Contains(status))
                {
                    statuses.Add(status);
                }
            }
            else
            {
                errors["status"] = [$"'{Shorten(name)}' is not a job status; use {string.Join(", ", Enum.GetNames<JobStatus>())}."];
            }
        }

        CheckId(query.FunctionId, "functionId", errors);
        CheckId(query.UserId, "userId", errors);
        var from = ParseTime(query.From, "from", errors);
        var to = ParseTime(query.To, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors["to"] = ["to must not be earlier than from."];
        }

        var limit = DefaultLimit;
        if (query.Limit is not null
            && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        }

        JobCursor? cursor = null;
        if (query.Cursor is not null && !JobCursor.TryDecode(query.Cursor, out cursor))
        {
            errors["cursor"] = ["cursor is not one this API returned as nextCursor."];
        }

        filter = new JobListFilter(statuses, query.FunctionId, query.UserId, from, to, limit, cursor);
        return errors.Count == 0;
    }

    private static void CheckId(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is not null && (value.Length is 0 or > MaxIdLength))
        {
            errors[name] = [$"{name} must be 1 to {MaxIdLength} characters."];
        }
    }

    private static DateTimeOffset? ParseTime(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUniversalTime();
        }

        errors[name] = [$"{name} must be an ISO 8601 time, e.g. 2026-11-27T08:00:00Z."];
        return null;
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : text[..32] + "…";
}

using System.Net;
using Microsoft.EntityFrameworkCore;
using NeoWorker.IntegrationTests.Infrastructure;
using OpenQA.Selenium;

namespace NeoWorker.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real headless chromium against the real API, worker, PostgreSQL and RabbitMQ.
/// Screenshots land in .local/screenshots/dashboard-*.png for a person to look at.
/// </summary>
[Collection(nameof(ServicesCollection))]
public sealed class DashboardBrowserTests(ServicesFixture services, DashboardFixture dashboard) : IClassFixture<DashboardFixture>
{
    private const string PageTitle = "NeoWorker operations";

    // Job output a browser would run if the page ever treated it as HTML.
    private const string MarkupResult = """
        function main() {
          console.log('<script>window.__pwned = 1</' + 'script><b>bold?</b>');
          return { html: '<img src=x onerror="window.__pwned=2;document.title=`pwned`">' };
        }
        """;

    private const string MarkupError = """function main() { throw new Error('<img src=y onerror="window.__pwned=3">'); }""";

    [Fact]
    public async Task An_ops_user_sees_a_submitted_job_reach_Succeeded_filters_by_status_and_opens_its_verified_proof()
    {
        await dashboard.StartAsync(services);
        var page = dashboard.NewPage();
        page.SignIn(services.Operator.ApiKey);
        page.WaitForDashboard();
        Assert.Contains("(ops)", page.WhoAmI, StringComparison.Ordinal);
        Assert.True(page.UserFilterVisible, "an ops key can filter by user");
        var functionId = NewFunctionId();
        page.FilterBy(functionId, services.Tenant.UserId);
        page.WaitForRows(rows => rows.Count == 0, "an empty list for a function that never ran");

        var api = new JobsApi(services.CreateClient(services.Tenant));
        var succeeded = await SubmitAsync(api, Functions.Seed, Functions.SeedInput, functionId);
        var failed = await SubmitAsync(api, Functions.Throwing, "{}", functionId);

        // The page refreshes itself: nobody clicks anything while the jobs run.
        page.WaitForRow(succeeded, "Succeeded");
        page.WaitForRow(failed, "Failed");
        page.WaitUntil(_ => page.Count("Succeeded") >= 1 && page.Count("Failed") >= 1, "the counts to include both jobs");

        page.ShowStates("Failed");
        page.WaitForRows(rows => rows.Count == 1 && rows[0] == (failed, "Failed"), "only the failed job");
        page.ShowStates("Succeeded");
        page.WaitForRows(rows => rows.Count == 1 && rows[0] == (succeeded, "Succeeded"), "only the succeeded job");

        page.Open(succeeded);
        page.WaitUntil(_ => page.DetailText("proof-verdict").Contains("Verified", StringComparison.Ordinal), "the proof verdict");
        Assert.Equal("✔ Verified", page.DetailText("proof-verdict"));
        Assert.Equal("SIMULATED", page.DetailText("proof-simulated"));
        Assert.Equal("Succeeded", page.DetailText("detail-status"));
        Assert.Contains("\"result\": 84", page.DetailText("detail-result"), StringComparison.Ordinal);
        Assert.Contains("Execution time", page.DetailText("detail-timings"), StringComparison.Ordinal);
        Assert.Contains(functionId, page.DetailText("detail-summary"), StringComparison.Ordinal);
        Assert.Empty(page.DetailText("proof-reasons"));
        var shot = dashboard.Browser.SaveScreenshot("verified-proof");
        Assert.True(new FileInfo(shot).Length > 10_000, $"{shot} looks empty");

        page.ShowStates();
        page.WaitForRows(rows => rows.Count == 2, "both jobs again with no status filter");
        page.Open(failed);
        page.WaitUntil(_ => page.DetailText("proof-verdict").Contains("Verified", StringComparison.Ordinal), "the failed job's proof verdict");
        Assert.Contains("boom from the function", page.DetailText("detail-error"), StringComparison.Ordinal);

        // The page never breaks its own Content-Security-Policy, and nothing on it failed.
        var console = dashboard.Browser.TakeConsole();
        Assert.DoesNotContain(console, line => line.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)
            || (line.StartsWith("Severe", StringComparison.OrdinalIgnoreCase) && !line.Contains("/favicon.ico", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Job_output_that_looks_like_html_is_shown_as_text_and_runs_nothing()
    {
        await dashboard.StartAsync(services);
        var functionId = NewFunctionId();
        var api = new JobsApi(services.CreateClient(services.Tenant));
        var result = (string)(await api.SubmitAndWaitAsync(JobsApi.Request(MarkupResult, "{}", functionId)))["jobId"]!;
        var error = (string)(await api.SubmitAndWaitAsync(JobsApi.Request(MarkupError, "{}", functionId)))["jobId"]!;

        var page = dashboard.NewPage();
        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        Assert.Contains("(tenant)", page.WhoAmI, StringComparison.Ordinal);
        Assert.False(page.UserFilterVisible, "a tenant key has no user filter");
        page.FilterBy(functionId);
        page.WaitForRows(rows => rows.Count == 2, "the two jobs with markup in their output");

        page.Open(result);
        page.WaitUntil(_ => page.DetailText("detail-logs").Length > 0 && page.DetailText("detail-status") == "Succeeded", "the job's result and logs");
        Assert.Contains("<img src=x onerror=", page.DetailText("detail-result"), StringComparison.Ordinal);
        Assert.Contains("<script>window.__pwned = 1</script><b>bold?</b>", page.DetailText("detail-logs"), StringComparison.Ordinal);
        dashboard.Browser.SaveScreenshot("markup-as-text");

        page.Open(error);
        page.WaitUntil(_ => page.DetailText("detail-error").Length > 0, "the job's error");
        Assert.Contains("<img src=y onerror=", page.DetailText("detail-error"), StringComparison.Ordinal);

        Assert.Equal(0L, page.Script("return document.querySelectorAll('main img, main script, main b').length;"));
        Assert.Null(page.Script("return window.__pwned === undefined ? null : window.__pwned;"));
        Assert.Equal(PageTitle, dashboard.Browser.Driver.Title);
    }

    [Fact]
    public async Task A_refused_key_asks_again_and_the_key_stays_in_session_storage_only()
    {
        await dashboard.StartAsync(services);
        var page = dashboard.NewPage();

        page.SignIn("nwk_not-a-real-key-" + Guid.NewGuid().ToString("N"));
        page.WaitUntil(_ => page.LoginVisible && page.LoginReason.Contains("401", StringComparison.Ordinal), "the key to be refused");

        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        Assert.Equal(services.Tenant.ApiKey, page.Script("return sessionStorage.getItem('neoworker.apiKey');"));
        Assert.Equal(0L, page.Script("return localStorage.length;"));
        Assert.DoesNotContain(services.Tenant.ApiKey, dashboard.Browser.Driver.Url, StringComparison.Ordinal);

        // A reload keeps the session (same tab), forgetting the key clears it.
        dashboard.Browser.Driver.Navigate().Refresh();
        page.WaitForDashboard();
        page.ForgetKey();
        page.WaitUntil(_ => page.LoginVisible, "the login form after forgetting the key");
        Assert.Null(page.Script("return sessionStorage.getItem('neoworker.apiKey');"));
    }

    [Fact]
    public async Task A_paused_page_shows_nothing_new_until_auto_refresh_resumes()
    {
        await dashboard.StartAsync(services);
        var functionId = NewFunctionId();
        var page = dashboard.NewPage();
        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        page.FilterBy(functionId);
        page.WaitForRows(rows => rows.Count == 0, "an empty list for a function that never ran");
        var toggle = dashboard.Browser.Driver.FindElement(By.Id("refresh-toggle"));
        toggle.Click();
        Assert.Contains("paused", page.DetailText("refresh-state"), StringComparison.Ordinal);

        var api = new JobsApi(services.CreateClient(services.Tenant));
        var job = (string)(await api.SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput, functionId)))["jobId"]!;
        await Task.Delay(TimeSpan.FromSeconds(7)); // longer than one refresh interval
        Assert.Empty(page.Rows());

        toggle.Click();
        page.WaitForRow(job, "Succeeded");
        Assert.Contains("every 5 s", page.DetailText("refresh-state"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_follow_the_cursor_forward_and_back_newest_first_within_the_time_range()
    {
        await dashboard.StartAsync(services);
        var functionId = NewFunctionId();
        var api = new JobsApi(services.CreateClient(services.Tenant));
        var submitted = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            submitted.Add(await SubmitAsync(api, Functions.Seed, Functions.SeedInput, functionId));
        }

        submitted.Reverse(); // newest first
        var page = dashboard.NewPage();
        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        page.SetPageSize(10);
        page.FilterBy(functionId);
        page.WaitForRows(rows => rows.Count == 10, "a first page of 10 jobs");
        var first = page.Rows().Select(r => r.JobId).ToList();
        Assert.Equal("Page 1", page.PageLabel);

        page.NextPage();
        page.WaitForRows(rows => rows.Count == 2, "a second page with the 2 oldest jobs");
        var second = page.Rows().Select(r => r.JobId).ToList();
        Assert.Equal("Page 2", page.PageLabel);
        Assert.False(dashboard.Browser.Driver.FindElement(By.Id("next-page")).Enabled, "no page after the last");

        page.PreviousPage();
        page.WaitForRows(rows => rows.Count == 10, "the first page again");
        Assert.Equal(first, page.Rows().Select(r => r.JobId).ToList());
        Assert.Equal(submitted, first.Concat(second).ToList());

        // The time range: all of them were requested in the last hour, none in the next.
        page.FilterByTime(TimeSpan.FromHours(1), null);
        page.WaitForRows(rows => rows.Count == 0, "no job requested after an hour from now");
        Assert.Equal("Page 1", page.PageLabel);
        page.FilterByTime(-TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
        page.WaitForRows(rows => rows.Count == 10, "the first page again within the last hour");
        Assert.Equal(first, page.Rows().Select(r => r.JobId).ToList());
    }

    [Fact]
    public async Task A_result_changed_after_the_fact_shows_Not_verified_with_the_failing_check()
    {
        await dashboard.StartAsync(services);
        var functionId = NewFunctionId();
        var api = new JobsApi(services.CreateClient(services.Tenant));
        var job = (string)(await api.SubmitAndWaitAsync(JobsApi.Request(Functions.Seed, Functions.SeedInput, functionId)))["jobId"]!;
        var forged = "{\"result\":85}";
        await using (var db = services.CreateDb())
        {
            Assert.Equal(1, await db.Database.ExecuteSqlAsync($"UPDATE neoworker.jobs SET result = {forged} WHERE id = {Guid.Parse(job)}"));
        }

        var page = dashboard.NewPage();
        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        page.FilterBy(functionId);
        page.Open(job);
        page.WaitUntil(_ => page.DetailText("proof-verdict").Contains("verified", StringComparison.Ordinal), "the proof verdict");

        Assert.Equal("✘ Not verified", page.DetailText("proof-verdict"));
        Assert.Contains("\"result\": 85", page.DetailText("detail-result"), StringComparison.Ordinal);
        Assert.Contains("expected-result", page.DetailText("proof-reasons"), StringComparison.Ordinal);
        var failedChecks = dashboard.Browser.Driver.FindElements(By.CssSelector("#proof-checks tr.failed"));
        Assert.Contains(failedChecks, row => row.Text.Contains("expected-result", StringComparison.Ordinal));
        Assert.True(failedChecks.All(row => row.Displayed), "the failing checks are shown without a click");
        dashboard.Browser.SaveScreenshot("not-verified");
    }

    [Fact]
    public async Task A_queued_job_is_canceled_from_its_detail()
    {
        await dashboard.StartAsync(services);
        var functionId = NewFunctionId();
        Guid job;
        await using (var db = services.CreateDb())
        {
            // Dispatched, but no worker will take it: it stays Queued until canceled.
            job = (await JobRows.InsertAsync(db, services.Tenant.UserId, functionId, NeoWorker.Persistence.Entities.JobStatus.Queued, DateTimeOffset.UtcNow)).Id;
        }

        var page = dashboard.NewPage();
        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        page.FilterBy(functionId);
        page.WaitForRow(job.ToString(), "Queued");
        page.Open(job.ToString());
        page.WaitUntil(d => d.FindElement(By.Id("cancel-job")).Displayed, "the cancel button of a Queued job");
        dashboard.Browser.Driver.FindElement(By.Id("cancel-job")).Click();

        page.WaitUntil(_ => page.DetailText("detail-status") == "Canceled", "the job to be Canceled");
        Assert.Contains("canceled", page.DetailText("message"), StringComparison.Ordinal);
        Assert.False(dashboard.Browser.Driver.FindElement(By.Id("cancel-job")).Displayed, "no cancel button on a finished job");
        page.WaitForRow(job.ToString(), "Canceled");
    }

    [Fact]
    public async Task A_rate_limited_dashboard_says_so_and_backs_off_then_recovers()
    {
        await dashboard.StartAsync(services);
        // Two requests a second, four at once: signing in costs three (me, stats, list) and a refresh two.
        await using var limited = KestrelApi.Start(services, new Dictionary<string, string>
        {
            ["RateLimit:PermitsPerSecond"] = "1",
            ["RateLimit:Burst"] = "3",
        });
        var page = dashboard.NewPage(limited.BaseAddress);
        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        page.Script("for (let i = 0; i < 4; i++) document.getElementById('refresh-now').click();");
        page.Script("document.getElementById('apply-filters').click(); document.getElementById('apply-filters').click();");

        page.WaitUntil(_ => page.DetailText("message").Contains("429", StringComparison.Ordinal), "the page to say it is rate limited");
        Assert.Contains("auto-refresh every 10 s", page.DetailText("refresh-state"), StringComparison.Ordinal); // twice the usual, once
        Assert.False(page.LoginVisible, "a 429 keeps the key");
        dashboard.Browser.SaveScreenshot("rate-limited");

        page.WaitUntil(_ => page.DetailText("refresh-state").Contains("every 5 s", StringComparison.Ordinal) && !page.DetailText("message").Contains("429", StringComparison.Ordinal),
            "the refresh to come back to every 5 s once the API answers again", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_running_job_is_canceled_from_its_detail()
    {
        await dashboard.StartAsync(services);
        var page = dashboard.NewPage();
        page.SignIn(services.Tenant.ApiKey);
        page.WaitForDashboard();
        var functionId = NewFunctionId();
        var api = new JobsApi(services.CreateClient(services.Tenant));

        // It would run until the time limit (ServicesFixture.MaxExecutionTimeSeconds) ends it TimedOut.
        var job = await SubmitAsync(api, Functions.InfiniteLoop, "{}", functionId);
        page.FilterBy(functionId);
        page.Open(job);
        page.WaitUntil(d => d.FindElement(By.Id("cancel-job")).Displayed, "the cancel button of a Queued or Running job");
        dashboard.Browser.Driver.FindElement(By.Id("cancel-job")).Click();

        page.WaitUntil(_ => page.DetailText("detail-status") == "Canceled", "the job to end Canceled");
        Assert.False(dashboard.Browser.Driver.FindElement(By.Id("cancel-job")).Displayed, "no cancel button on a finished job");
        page.WaitForRow(job, "Canceled");
        var view = await api.GetAsync($"/api/v1/jobs/{job}");
        Assert.Equal("Canceled", (string?)view["status"]);
    }

    private static string NewFunctionId() => $"dash_{Guid.NewGuid():N}"[..21];

    private static async Task<string> SubmitAsync(JobsApi api, string code, string input, string functionId)
    {
        var response = await api.SubmitAsync(JobsApi.Request(code, input, functionId));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await JobsApi.ReadObjectAsync(response))["jobId"]!;
    }
}

using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace NeoWorker.IntegrationTests.Dashboard;

/// <summary>What a person does on the dashboard, in Selenium terms; every wait names what it waited for.</summary>
internal sealed class DashboardPage(Browser browser, Uri baseAddress)
{
    /// <summary>The page refreshes every 5 s; a job needs a few refreshes at most.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private IWebDriver Driver => browser.Driver;

    public void Open()
    {
        Driver.Navigate().GoToUrl(baseAddress);
        WaitUntil(d => d.FindElement(By.Id("login")).Displayed || d.FindElement(By.Id("dashboard")).Displayed, "the login form or the dashboard");
    }

    public void SignIn(string apiKey)
    {
        WaitUntil(d => d.FindElement(By.Id("login")).Displayed, "the login form");
        var input = Driver.FindElement(By.Id("api-key"));
        input.Clear();
        input.SendKeys(apiKey);
        Driver.FindElement(By.Id("connect")).Click();
    }

    public void WaitForDashboard() =>
        WaitUntil(d => d.FindElement(By.Id("dashboard")).Displayed && d.FindElements(By.CssSelector("#counts [data-count]")).Count == 8,
            "the dashboard with its counts");

    public bool LoginVisible => Driver.FindElement(By.Id("login")).Displayed;

    public string LoginReason => Driver.FindElement(By.Id("login-reason")).Text;

    public string WhoAmI => Driver.FindElement(By.Id("whoami")).Text;

    public bool UserFilterVisible => Driver.FindElement(By.Id("filter-user-label")).Displayed;

    /// <summary>The count shown for a state; -1 while the page shows none yet (—).</summary>
    public long Count(string state) =>
        long.TryParse(Driver.FindElement(By.CssSelector($"[data-count='{state}']")).Text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : -1;

    public void FilterBy(string? functionId = null, string? userId = null)
    {
        SetText("filter-function", functionId);
        if (userId is not null)
        {
            SetText("filter-user", userId);
        }

        Driver.FindElement(By.Id("apply-filters")).Click();
    }

    /// <summary>Checks exactly the given states (none: every state); each click reloads the list.</summary>
    public void ShowStates(params string[] states)
    {
        foreach (var box in Driver.FindElements(By.CssSelector("#status-options input[type=checkbox]")))
        {
            var wanted = states.Contains(box.GetAttribute("value"));
            if (box.Selected != wanted)
            {
                box.Click();
            }
        }
    }

    /// <summary>Fills the From/To inputs (the browser's local time, as a person would) relative to now; null clears one.</summary>
    public void FilterByTime(TimeSpan? fromNow, TimeSpan? toNow)
    {
        Script("""
            const set = (id, offsetMs) => {
              const input = document.getElementById(id);
              if (offsetMs === null) { input.value = ''; return; }
              const d = new Date(Date.now() + offsetMs), p = (n) => String(n).padStart(2, '0');
              input.value = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
            };
            set('filter-from', arguments[0]);
            set('filter-to', arguments[1]);
            """, fromNow?.TotalMilliseconds, toNow?.TotalMilliseconds);
        Driver.FindElement(By.Id("apply-filters")).Click();
    }

    public void SetPageSize(int size)
    {
        Driver.FindElement(By.CssSelector($"#filter-limit option[value='{size.ToString(CultureInfo.InvariantCulture)}']")).Click();
    }

    /// <summary>The rows shown: (jobId, status), read in one script call so a refresh cannot tear it.</summary>
    public IReadOnlyList<(string JobId, string Status)> Rows()
    {
        var raw = (string)((IJavaScriptExecutor)Driver).ExecuteScript(
            "return Array.from(document.querySelectorAll('#jobs-body tr')).map(r => r.dataset.jobId + ' ' + r.dataset.status).join('\\n');")!;
        return [.. raw.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')).Select(p => (p[0], p[1]))];
    }

    public string? StatusOf(string jobId) => Rows().Where(r => r.JobId == jobId).Select(r => r.Status).FirstOrDefault();

    public void WaitForRow(string jobId, string status) =>
        WaitUntil(_ => StatusOf(jobId) == status, $"job {jobId} listed as {status} (listed as {StatusOf(jobId) ?? "nothing"})");

    public void WaitForRows(Func<IReadOnlyList<(string JobId, string Status)>, bool> condition, string what) =>
        WaitUntil(_ => condition(Rows()), what);

    public void Open(string jobId)
    {
        WaitUntil(d =>
        {
            d.FindElement(By.CssSelector($"#jobs-body tr[data-job-id='{jobId}'] .job-link")).Click();
            return true;
        }, $"the row of job {jobId} to click");
        WaitUntil(d => d.FindElement(By.Id("detail")).Displayed && d.FindElement(By.Id("detail-job-id")).Text == jobId, $"the detail of job {jobId}");
    }

    public string DetailText(string id) => Driver.FindElement(By.Id(id)).Text;

    public string PageLabel => Driver.FindElement(By.Id("page-label")).Text;

    public void NextPage() => Driver.FindElement(By.Id("next-page")).Click();

    public void PreviousPage() => Driver.FindElement(By.Id("prev-page")).Click();

    public void ForgetKey() => Driver.FindElement(By.Id("forget-key")).Click();

    public object? Script(string script, params object?[] args) => ((IJavaScriptExecutor)Driver).ExecuteScript(script, args);

    /// <summary>Waits, retrying through the DOM being rebuilt by a refresh; on timeout says what was awaited and what the page showed.</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition, string what, TimeSpan? timeout = null)
    {
        var wait = new WebDriverWait(Driver, timeout ?? Patience) { PollingInterval = TimeSpan.FromMilliseconds(200) };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException), typeof(ElementNotInteractableException));
        try
        {
            wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            var shot = browser.SaveScreenshot("failure-" + DateTime.UtcNow.ToString("HHmmssfff", CultureInfo.InvariantCulture));
            var message = Driver.FindElements(By.Id("message")).FirstOrDefault()?.Text;
            throw new Xunit.Sdk.XunitException(
                $"Waited {(timeout ?? Patience).TotalSeconds:0} s for {what}. Page message: '{message}'. Screenshot: {shot}. Console: {string.Join(" | ", browser.TakeConsole())}");
        }
    }

    private void SetText(string id, string? value)
    {
        var input = Driver.FindElement(By.Id(id));
        input.Clear();
        if (!string.IsNullOrEmpty(value))
        {
            input.SendKeys(value);
        }
    }
}

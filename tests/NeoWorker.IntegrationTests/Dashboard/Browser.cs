using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace NeoWorker.IntegrationTests.Dashboard;

/// <summary>
/// Debian's chromium in headless mode, driven through Debian's chromedriver (no download of a browser
/// or a driver: Selenium Manager is never asked, both paths are given).
/// </summary>
internal sealed class Browser : IDisposable
{
    private const string HowToInstall =
        "The dashboard tests need Debian's chromium and chromium-driver packages: run ops/deps.sh (ops/up.sh and ops/test.sh run it), "
        + "or set NEOWORKER_CHROMIUM and NEOWORKER_CHROMEDRIVER to their paths.";

    private readonly string _profile;

    private Browser(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    public static Browser Start()
    {
        var chromium = Locate("NEOWORKER_CHROMIUM", "/usr/bin/chromium", "/usr/lib/chromium/chromium");
        var chromedriver = Locate("NEOWORKER_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        var profile = Directory.CreateTempSubdirectory("neoworker-chromium-").FullName;

        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox", // root in CI; the page under test is our own
            "--disable-dev-shm-usage",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--window-size=1600,1000",
            "--user-data-dir=" + profile);
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        try
        {
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
            driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
            return new Browser(driver, profile);
        }
        catch (WebDriverException ex)
        {
            service.Dispose();
            Directory.Delete(profile, recursive: true);
            throw new InvalidOperationException($"chromium ({chromium}) did not start under chromedriver ({chromedriver}): {ex.Message}. " + HowToInstall, ex);
        }
    }

    /// <summary>What the page wrote to the console (errors, CSP violations) since the last call.</summary>
    public IReadOnlyList<string> TakeConsole() =>
        [.. Driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => $"{entry.Level}: {entry.Message}")];

    public string SaveScreenshot(string name)
    {
        var directory = Path.Combine(Infrastructure.RepositoryPaths.Root, ".local", "screenshots");
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"dashboard-{name}.png");
        Driver.GetScreenshot().SaveAsFile(file);
        return file;
    }

    private static string Locate(string variable, params string[] candidates)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{variable}={configured} does not exist. " + HowToInstall);
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"None of {string.Join(", ", candidates)} exists. " + HowToInstall);
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be flushing its profile; the temp directory is cleaned later
        }
    }
}

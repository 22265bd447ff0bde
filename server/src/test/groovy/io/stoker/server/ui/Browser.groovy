package io.stoker.server.ui

import org.openqa.selenium.By
import org.openqa.selenium.JavascriptExecutor
import org.openqa.selenium.WebElement
import org.openqa.selenium.chrome.ChromeDriver
import org.openqa.selenium.chrome.ChromeDriverService
import org.openqa.selenium.chrome.ChromeOptions
import org.openqa.selenium.support.ui.WebDriverWait

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/**
 * Debian's headless Chromium driven through Debian's chromedriver (explicit paths: Selenium Manager would try the
 * internet), with a fresh profile and a download directory. Waits are conditions with a deadline, never sleeps.
 */
class Browser implements Closeable {
    static final Path CHROMIUM = Path.of('/usr/bin/chromium')
    static final Path DRIVER = Path.of('/usr/bin/chromedriver')
    static final long FACTOR = io.stoker.server.Http.TIMEOUT_FACTOR // the build's -Dstoker.test.timeoutFactor

    final ChromeDriver driver
    final Path profile
    final Path downloads
    final String base

    /** Why the browser specs cannot run here, or null when they can. */
    static String missing() {
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER) ? null
                : 'Chromium not found (/usr/bin/chromium, /usr/bin/chromedriver): apt-get install chromium chromium-driver'
    }

    Browser(String base, int width = 1280, int height = 900) {
        this.base = base
        profile = Files.createTempDirectory('stoker-chromium-')
        downloads = Files.createDirectories(profile.resolve('downloads'))
        def options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        options.addArguments('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
                "--user-data-dir=${profile.resolve('profile')}", "--window-size=$width,$height")
        // the console's messages, for specs that check a page wrote no script errors
        options.setCapability('goog:loggingPrefs', [browser: 'ALL'])
        options.setExperimentalOption('prefs', ['download.default_directory': downloads.toString(),
                                                'download.prompt_for_download': false])
        def service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build()
        driver = new ChromeDriver(service, options)
    }

    void open(String path) {
        driver.get(base + path)
    }

    /**
     * Opens a run's page (at a task, when named) and waits until the page shows that run: an address that differs
     * from the page's only after its '#' does not load a new document, so the previous run's page stands meanwhile.
     */
    void openRun(String key, String task = null) {
        open("/#/runs/$key" + (task ? "/$task" : ''))
        showsRun(key)
    }

    /** Waits until the run page shows the run {@code key}, not the run it showed before. */
    void showsRun(String key) {
        until { textOf('#run-key') == key }
    }

    /** Waits until the condition returns something truthy (20 s, times the slow-machine factor). */
    def <T> T until(long seconds = 20, Closure<T> condition) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(seconds * FACTOR)).ignoring(org.openqa.selenium.StaleElementReferenceException)
                    .until { condition() ?: null } as T
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("timed out on ${driver.currentUrl}; the page is kept in ${keep()}", e)
        }
    }

    /**
     * Saves a screenshot, the page's HTML and what it logged and fetched (the console, then each finished request
     * with its start and duration; one asked for and never answered is missing there) under
     * target/browser-failures for a failed wait; returns the stem.
     */
    Path keep() {
        def dir = Files.createDirectories(Path.of('target', 'browser-failures'))
        def stem = dir.resolve(String.valueOf(System.currentTimeMillis()))
        Files.write(Path.of(stem.toString() + '.png'), screenshot())
        Files.writeString(Path.of(stem.toString() + '.html'), driver.pageSource)
        List<String> console = driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).all
                .collect { "$it.level $it.message".toString() }
        List<String> fetched = js('''return performance.getEntriesByType('resource')
                .map(e => Math.round(e.startTime) + ' ms +' + Math.round(e.duration) + ' ms ' + e.name)''') as List<String>
        Files.write(Path.of(stem.toString() + '.log'), ['console:'] + console + ['requests finished:'] + fetched)
        stem.toAbsolutePath()
    }

    WebElement find(String css) {
        until { driver.findElements(By.cssSelector(css)).find { it.displayed } }
    }

    List<WebElement> all(String css) {
        driver.findElements(By.cssSelector(css))
    }

    /** Clicks the element, finding it again when a live update replaced it meanwhile. */
    void click(String css) {
        until {
            try {
                find(css).click()
                true
            } catch (org.openqa.selenium.StaleElementReferenceException ignored) {
                false
            }
        }
    }

    void type(String css, String text) {
        def e = find(css)
        e.clear()
        e.sendKeys(text)
    }

    /** Waits until the element's text contains {@code text}; returns the text. */
    String text(String css, String contains) {
        until { driver.findElements(By.cssSelector(css)).collect { it.text }.find { it.contains(contains) } }
    }

    /** The element's text read in one step (null when there is none): a live repaint may replace the element between a find and a read. */
    String textOf(String css) {
        js('return document.querySelector(arguments[0])?.textContent', css)
    }

    /** The element's attribute read in one step (null when there is no such element or attribute), as {@link #textOf}. */
    String attributeOf(String css, String name) {
        js('return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null', css, name)
    }

    /** Clicks what asks a question (a confirm dialog) and answers it OK ({@code ok}) or Cancel. */
    void answer(String css, boolean ok) {
        click(css)
        def dialog = until { dialog() }
        ok ? dialog.accept() : dialog.dismiss()
    }

    /** The page's open alert or confirm dialog; null while none is open. */
    org.openqa.selenium.Alert dialog() {
        try {
            driver.switchTo().alert()
        } catch (org.openqa.selenium.NoAlertPresentException none) {
            null
        }
    }

    Object js(String script, Object... args) {
        ((JavascriptExecutor) driver).executeScript(script, args)
    }

    /**
     * Logs out and waits until the login page stands: the form is drawn again once the logout's request ended, so a
     * login typed before that went into a form about to be replaced (a run in twenty under load).
     */
    void logout() {
        click('#logout')
        find('#username')
        until { js('return sessionStorage.length') == 0 }
    }

    void login(String user, String password) {
        open('/#/login')
        submitLogin(user, password)
        find('#logout')
    }

    /**
     * Counts from now on the page's requests of that method whose address ends so, read with {@link #counted}: a
     * spec tells a press sent once from one sent twice.
     */
    void countRequests(String method, String ending) {
        js('''const [method, ending] = arguments;
            window.countedRequests = 0;
            const realFetch = window.fetch;
            window.fetch = (input, init) => {
              if (String(input).endsWith(ending) && (init?.method ?? 'GET') === method) window.countedRequests++;
              return realFetch(input, init);
            };''', method, ending)
    }

    /** How many requests {@link #countRequests} counted since the page was last told to count. */
    long counted() {
        js('return window.countedRequests') as long
    }

    /** Opens the path as a new tab without a session does: the login stands where the page will be. */
    void openLoggedOut(String path) {
        js('sessionStorage.clear()')
        open(path)
        driver.navigate().refresh()
        find('#username')
    }

    /** Logs in with the login form the page shows, which then goes on to the page the address names. */
    void submitLogin(String user, String password) {
        type('#username', user)
        type('#password', password)
        click('#login')
    }

    /**
     * The console's errors since the last call, but for failed requests: a 404 the page shows as "Not found" is
     * logged by the browser itself, and says nothing about the page's scripts.
     */
    List<String> scriptErrors() {
        driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).all
                .findAll { it.level == java.util.logging.Level.SEVERE && !it.message.contains('Failed to load resource') }
                .collect { it.message }
    }

    byte[] screenshot() {
        driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES)
    }

    @Override
    void close() {
        try {
            driver?.quit()
        } finally {
            profile.toFile().deleteDir()
        }
    }
}

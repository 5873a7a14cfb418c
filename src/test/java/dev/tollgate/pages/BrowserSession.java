package dev.tollgate.pages;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium driven through /usr/bin/chromedriver (nothing downloaded), headless and light on memory. Without
 * the two packages the browser tests are skipped with a message saying how to install them, except in CI
 * (CI=true), where a missing browser fails them: .ci/run installs it.
 */
final class BrowserSession implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("billing.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("billing.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target/browser-screenshots");
    /** -Dbilling.screenshots.docs=true also writes the README's screenshots under docs/. */
    static final boolean DOCS = Boolean.getBoolean("billing.screenshots.docs");

    final ChromeDriver driver;

    private BrowserSession(ChromeDriver driver) {
        this.driver = driver;
    }

    /**
     * @param tollgatePort where this instance listens: the browser reaches the frontend's origin (a name that
     *        resolves nowhere) through it as its HTTP proxy; localhost (the simulated Checkout) is reached directly
     */
    static BrowserSession start(int tollgatePort) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "): apt-get install chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI must install them: .ci/run does)");
            }
            Assumptions.abort(message + ". Skipped.");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--no-first-run", "--window-size=1280,1000", "--lang=en-US",
                "--proxy-server=http://127.0.0.1:" + tollgatePort);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new BrowserSession(new ChromeDriver(service, options));
    }

    void open(String url) {
        driver.get(url);
    }

    /** An element inside a component's shadow root; null while it is not there. */
    WebElement inside(String host, String css) {
        List<WebElement> hosts = driver.findElements(By.cssSelector(host));
        if (hosts.isEmpty()) {
            return null;
        }
        SearchContext root = hosts.get(0).getShadowRoot();
        List<WebElement> found = root.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0);
    }

    List<WebElement> allInside(String host, String css) {
        return driver.findElement(By.cssSelector(host)).getShadowRoot().findElements(By.cssSelector(css));
    }

    /** Waits (polling every 50 ms) until {@code condition} gives a non-null, non-false value, and answers it. */
    <T> T until(Duration timeout, String what, Supplier<T> condition) {
        return until(timeout, what, condition, () -> "");
    }

    /** As {@link #until(Duration, String, Supplier)}, with what {@code state} says when the wait fails. */
    <T> T until(Duration timeout, String what, Supplier<T> condition, Supplier<String> state) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).withMessage(() -> what + "; " + state.get())
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchShadowRootException.class)
                // the page navigates (Checkout's redirect) between finding a host and searching its shadow root
                .ignoring(org.openqa.selenium.DetachedShadowRootException.class)
                .until((WebDriver d) -> {
                    T value = condition.get();
                    return Boolean.FALSE.equals(value) ? null : value;
                });
    }

    WebElement element(String host, String css) {
        return until(Duration.ofSeconds(15), host + " " + css, () -> inside(host, css));
    }

    /** The text of the element inside the shadow root that has focus (keyboard tests). */
    String focused() {
        Object text = ((JavascriptExecutor) driver).executeScript(
                "let e = document.activeElement; while (e && e.shadowRoot && e.shadowRoot.activeElement)"
                        + " { e = e.shadowRoot.activeElement; } return e ? (e.textContent || e.value || '').trim() : '';");
        return String.valueOf(text);
    }

    /** Saves a screenshot of the page (or of one component) under target/, and under docs/ when asked to. */
    void screenshot(String name, WebElement component, boolean forReadme) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = (component != null ? component : (TakesScreenshot) driver).getScreenshotAs(OutputType.FILE)
                    .toPath();
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
            if (forReadme && DOCS) {
                Files.createDirectories(Path.of("docs/screenshots"));
                Files.copy(shot, Path.of("docs/screenshots", name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}

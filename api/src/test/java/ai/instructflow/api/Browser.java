package ai.instructflow.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for tests of the web pages: Debian's {@code chromium} and {@code chromium-driver} driven by
 * Selenium, with a fresh profile each time. Both are given by path, so Selenium Manager never downloads a browser
 * or driver; where they are missing the test fails saying what to install ({@code .ci/run} installs them).
 * Every wait is on a condition, up to {@link #WAIT}, and a wait that runs out says what the page showed instead.
 */
public final class Browser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Generous: the CI machine may be busy training a model in the same JVM. */
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Under the module's target folder, where surefire runs. */
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    public Browser() {
        requireExecutable(CHROMIUM);
        requireExecutable(CHROMEDRIVER);
        try {
            profile = Files.createTempDirectory("instructflow-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .withLogLevel(ChromiumDriverLogLevel.WARNING)
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile);
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
        wait = new WebDriverWait(driver, WAIT);
        // the pages re-render what they show (the queue's progress, say): an element found a moment ago may be gone
        wait.ignoring(StaleElementReferenceException.class);
    }

    private static void requireExecutable(Path path) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: the web page tests drive Debian's Chromium; install it "
                    + "with `apt-get install chromium chromium-driver` (.ci/run does so on CI)");
        }
    }

    public Browser open(String url) {
        driver.get(url);
        return this;
    }

    public Browser reload() {
        driver.navigate().refresh();
        return this;
    }

    /** The address bar as it reads now (after any history.replaceState). */
    public String url() {
        return driver.getCurrentUrl();
    }

    /** Waits until an element matching the selector is visible. */
    public WebElement waitFor(String css) {
        return until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)),
                () -> "a visible " + css);
    }

    /** Waits until no element matching the selector is visible (or none exists). */
    public void waitForHidden(String css) {
        until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)), () -> css + " to be hidden");
    }

    /** Waits until the element is visible and its text contains {@code text}; returns its whole text. */
    public String waitForText(String css, String text) {
        // the text is read in the same look that found it, so a re-render in between cannot make it stale
        return until(d -> {
            WebElement element = d.findElement(By.cssSelector(css));
            String shown = element.isDisplayed() ? element.getText() : null;
            return shown != null && shown.contains(text) ? shown : null;
        }, () -> css + " containing \"" + text + "\"");
    }

    /** The element's visible text now, without waiting. */
    public String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    public boolean isVisible(String css) {
        try {
            return driver.findElement(By.cssSelector(css)).isDisplayed();
        } catch (NoSuchElementException e) {
            return false;
        }
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Types into the element once it is visible (after what it already holds). */
    public Browser type(String css, CharSequence... text) {
        waitFor(css).sendKeys(text);
        return this;
    }

    /**
     * Presses keys on whatever has the focus: the last one with all before it held down, so {@code press("3")},
     * {@code press(Keys.BACK_SPACE)} and {@code press(Keys.CONTROL, Keys.ENTER)} all do what they say.
     */
    public Browser press(CharSequence... keys) {
        Actions actions = new Actions(driver);
        for (int i = 0; i < keys.length - 1; i++) {
            actions.keyDown(keys[i]);
        }
        actions.sendKeys(keys[keys.length - 1]);
        for (int i = keys.length - 2; i >= 0; i--) {
            actions.keyUp(keys[i]);
        }
        actions.perform();
        return this;
    }

    public Browser click(String css) {
        until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)), () -> "a clickable " + css).click();
        return this;
    }

    /** Waits for the page's confirm() or alert() and accepts it; returns what it asked. */
    public String acceptDialog() {
        Alert dialog = until(ExpectedConditions.alertIsPresent(), () -> "a dialog");
        String text = dialog.getText();
        dialog.accept();
        return text;
    }

    /** Runs JavaScript in the page; {@code return x} in the script comes back as Java values (lists, maps, Long). */
    public Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    /** Waits on any condition, for what the helpers above do not cover. */
    public <T> T until(ExpectedCondition<T> condition, Supplier<String> what) {
        try {
            return wait.until(condition);
        } catch (TimeoutException e) {
            throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what.get() + " on " + url()
                    + "; the page reads:\n" + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Saves what the window shows as target/screenshots/{name}.png. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.gatehouse.idp;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven through Debian's {@code chromedriver} by Selenium),
 * with a fresh profile per instance, so cookies and IdP sessions never leak between tests.
 *
 * <p>HTTPS to the tests' servers: Chromium is given the SHA-256 of each trusted test CA's public key in
 * {@code --ignore-certificate-errors-spki-list}, so it accepts chains holding that key (the dev certificates'
 * {@code server.crt} carries the CA after the leaf) and still refuses any other bad certificate. That is narrower
 * than {@code --ignore-certificate-errors}, and needs no NSS database ({@code certutil}) per profile.
 *
 * <p>The flags are DESIGN.md §4's: without the background-networking ones Chromium keeps trying to reach Google
 * services, which the closed network here turns into stalls.
 */
public final class HeadlessBrowser implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final Path workDir;

  private HeadlessBrowser(ChromeDriver driver, Path workDir) {
    this.driver = driver;
    this.workDir = workDir;
  }

  /**
   * Starts Chromium.
   *
   * @param trustedCaCertificates PEM CA certificates whose servers Chromium must accept over HTTPS
   */
  public static HeadlessBrowser start(List<Path> trustedCaCertificates) throws Exception {
    Path chromium = executable("gatehouse.chromium", "/usr/bin/chromium");
    Path chromedriver = executable("gatehouse.chromedriver", "/usr/bin/chromedriver");
    // The profile and chromedriver's log, deleted on close; kept when Chromium does not start, for its log.
    Path workDir = Files.createTempDirectory("gatehouse-chromium");
    Path profile = Files.createDirectory(workDir.resolve("profile"));
    Path driverLog = workDir.resolve("chromedriver.log");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage", "--window-size=1280,900", "--user-data-dir=" + profile);
    List<String> pins = new ArrayList<>();
    for (Path ca : trustedCaCertificates) pins.add(spkiSha256(ca));
    if (!pins.isEmpty()) options.addArguments("--ignore-certificate-errors-spki-list=" + String.join(",", pins));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogFile(driverLog.toFile())
        .build();
    try {
      return new HeadlessBrowser(new ChromeDriver(service, options), workDir);
    } catch (WebDriverException e) {
      throw new AssertionError("headless Chromium did not start (" + chromium + " through " + chromedriver
          + "); chromedriver's log: " + driverLog, e);
    }
  }

  public void open(String url) {
    driver.get(url);
  }

  public String currentUrl() {
    return driver.getCurrentUrl();
  }

  /** The visible text of the page. */
  public String pageText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  public String title() {
    return driver.getTitle();
  }

  /** Cookies the browser holds for the current page's origin. */
  public Set<Cookie> cookies() {
    return driver.manage().getCookies();
  }

  public Optional<Cookie> cookie(String name) {
    return Optional.ofNullable(driver.manage().getCookieNamed(name));
  }

  /** True when the current page is Keycloak's username and password form. */
  public boolean onKeycloakLoginForm() {
    return !driver.findElements(By.id("username")).isEmpty() && !driver.findElements(By.id("password")).isEmpty();
  }

  /** True when the current page is Keycloak's OTP form. */
  public boolean onKeycloakOtpForm() {
    return !driver.findElements(By.id("otp")).isEmpty();
  }

  /** Fills Keycloak's login form (waiting for it) and submits it. */
  public void signInAtKeycloak(DemoUser user) {
    WebElement username = waitFor(By.id("username"));
    username.clear();
    username.sendKeys(user.username());
    WebElement password = driver.findElement(By.id("password"));
    password.clear();
    password.sendKeys(user.password());
    driver.findElement(By.id("kc-login")).click();
  }

  /** Fills Keycloak's OTP form (waiting for it) and submits it. */
  public void enterOtpAtKeycloak(String code) {
    WebElement otp = waitFor(By.id("otp"));
    otp.clear();
    otp.sendKeys(code);
    driver.findElement(By.id("kc-login")).click();
  }

  /** Waits until the browser's URL starts with {@code prefix}. */
  public void awaitUrlStartingWith(String prefix) {
    try {
      new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlMatches("^" + java.util.regex.Pattern.quote(prefix)));
    } catch (WebDriverException e) {
      throw new AssertionError("the browser did not reach " + prefix + " within " + WAIT.toSeconds() + " s; it is on "
          + currentUrlWithoutQuery() + " showing: " + abbreviate(pageText()), e);
    }
  }

  /** Waits until one of the given elements is on the page (e.g. the OTP field or the landing page). */
  public void awaitAny(By... locators) {
    try {
      new WebDriverWait(driver, WAIT).until(ExpectedConditions.or(
          Stream.of(locators).map(ExpectedConditions::presenceOfElementLocated).toArray(
              org.openqa.selenium.support.ui.ExpectedCondition[]::new)));
    } catch (WebDriverException e) {
      throw new AssertionError("none of " + List.of(locators) + " appeared within " + WAIT.toSeconds() + " s on "
          + currentUrlWithoutQuery() + ": " + abbreviate(pageText()), e);
    }
  }

  /**
   * Runs {@code script} in the current page as an asynchronous script (Selenium passes a callback as the last
   * argument) and returns what the script handed to it: a page's own {@code fetch}, with its cookies and origin.
   */
  public Object runAsyncScript(String script, Object... args) {
    driver.manage().timeouts().scriptTimeout(WAIT);
    return driver.executeAsyncScript(script, args);
  }

  /** Writes a PNG of the current page to {@code file}: what a person would have seen, for a failure's reader. */
  public void screenshot(Path file) throws IOException {
    Files.write(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
  }

  /** The text of an open JavaScript dialog ({@code alert}, {@code confirm}, {@code prompt}); empty when none is open. */
  public Optional<String> openDialog() {
    try {
      return Optional.of(driver.switchTo().alert().getText());
    } catch (org.openqa.selenium.NoAlertPresentException e) {
      return Optional.empty();
    }
  }

  /** Runs {@code script} in the current page and returns its result (a synchronous script: {@code return ...}). */
  public Object runScript(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** A PNG of the whole page, not only the window: the window is made as tall as the page first. */
  public void screenshotWholePage(Path file, int width) throws IOException {
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 900));
    long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, (int) Math.min(height + 140, 16_000)));
    screenshot(file);
  }

  /** Quits Chromium and chromedriver and deletes the profile and the driver's log. */
  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(workDir);
    }
  }

  private WebElement waitFor(By locator) {
    try {
      return new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(locator));
    } catch (WebDriverException e) {
      throw new AssertionError(locator + " did not appear within " + WAIT.toSeconds() + " s on "
          + currentUrlWithoutQuery() + ": " + abbreviate(pageText()), e);
    }
  }

  /** The query may hold a code or state: keep it out of messages. */
  private String currentUrlWithoutQuery() {
    String url = currentUrl();
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query) + "?...";
  }

  private static String abbreviate(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "...";
  }

  /** base64(SHA-256(SubjectPublicKeyInfo)), the form {@code --ignore-certificate-errors-spki-list} takes. */
  static String spkiSha256(Path pemCertificate) throws Exception {
    try (InputStream in = Files.newInputStream(pemCertificate)) {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
      return Base64.getEncoder().encodeToString(digest);
    }
  }

  private static Path executable(String property, String fallback) {
    Path path = Path.of(System.getProperty(property, fallback));
    if (!Files.isExecutable(path)) {
      throw new AssertionError(path + " is missing: install Debian's chromium and chromium-driver "
          + "(scripts/install-system-packages.sh chromium chromium-driver, which gatehouse-test runs), "
          + "or pass -D" + property + "=<path>");
    }
    return path;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // A profile Chromium still writes to as it exits: the OS temp cleaner takes what is left.
    }
  }
}

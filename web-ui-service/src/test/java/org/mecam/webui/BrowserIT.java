package org.mecam.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.mecam.events.Ids;
import org.mecam.events.MotionEvent.Phase;
import org.mecam.events.Topics;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.Command;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.Event;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in real headless Chromium: first-run setup and login, the dashboard updating live from
 * the broker, arm/disarm, a settings round trip, a push delivered to the service worker through
 * DevTools, a 360 px layout, and no console errors. Fails (never skips) when Chromium is missing.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BrowserSetup.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(BrowserIT.ScreenshotOnFailure.class)
class BrowserIT {
  static final Path CHROMIUM = Paths.get(System.getProperty("mecam.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Paths.get(System.getProperty("mecam.chromedriver", "/usr/bin/chromedriver"));
  static final String USER = "alice";
  static final String PASSWORD = "a long enough passphrase";

  static ChromeDriver driver;
  static DevTools devTools;
  static Path profile;
  static final List<Map<String, Object>> registrations = new CopyOnWriteArrayList<>();

  @InjectBroker
  MqttBroker broker;

  @jakarta.inject.Inject
  org.mecam.webui.onboarding.SetupCode setupCode;

  @TestHTTPResource("/")
  URL base;

  @BeforeAll
  static void startBrowser() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("Chromium is required for the browser tests: apt-get install -y chromium chromium-driver"
          + " (looked for " + CHROMIUM + " and " + CHROMEDRIVER + ")");
    }
    profile = Files.createTempDirectory("mecam-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--window-size=1280,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    devTools = driver.getDevTools();
    devTools.createSession();
    devTools.addListener(new Event<List<Map<String, Object>>>("ServiceWorker.workerRegistrationUpdated",
        in -> {
          Map<String, Object> m = in.read(Json.MAP_TYPE);
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> regs = (List<Map<String, Object>>) m.get("registrations");
          return regs;
        }), (java.util.function.Consumer<List<Map<String, Object>>>) registrations::addAll);
    devTools.send(new Command<Void>("ServiceWorker.enable", Map.of()));
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (driver != null) {
      driver.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  String url(String path) {
    return base.toString().replaceAll("/$", "") + path;
  }

  WebDriverWait waitUpTo(Duration d) {
    return new WebDriverWait(driver, d);
  }

  @Test
  @Order(1)
  void firstRunSetupCreatesTheOwnerAndLoginWorks() {
    driver.get(url("/"));
    waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/setup"));
    // The person at the browser reads the setup code from the server's log; BrowserSetup made the
    // archive key already (an existing installation), so the passphrase must be that key's.
    driver.findElement(By.id("code")).sendKeys(setupCode.currentForTests().orElseThrow());
    driver.findElement(By.id("username")).sendKeys(USER);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("confirm")).sendKeys(PASSWORD);
    driver.findElement(By.id("passphrase")).sendKeys(TestSetup.ARCHIVE_PASSPHRASE);
    driver.findElement(By.id("passphrase-confirm")).sendKeys(TestSetup.ARCHIVE_PASSPHRASE);
    // The public address is pre-filled with the page's own origin.
    assertThat(driver.findElement(By.id("public-url")).getAttribute("value")).startsWith("http://");
    driver.findElement(By.id("setup-submit")).click();
    waitUpTo(Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(By.id("welcome")));
    driver.get(url("/"));
    waitUpTo(Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(By.id("cameras")));

    driver.findElement(By.id("logout")).click();
    waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/login"));
    driver.findElement(By.id("username")).sendKeys(USER);
    driver.findElement(By.id("password")).sendKeys("not the password");
    driver.findElement(By.id("login-submit")).click();
    waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("form-error")));
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login-submit")).click();
    waitUpTo(Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(By.id("cameras")));
    assertThat(driver.manage().getCookieNamed("mecam_session").isHttpOnly()).isTrue();
  }

  @Test
  @Order(2)
  void dashboardShowsAnEventPublishedOnTheBrokerWithinTwoSeconds() {
    driver.get(url("/"));
    waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("live-text"), "live"));
    String camera = "porch";
    String eventId = Ids.newId();
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraAvailability(camera), "online", 1, true);
      client.publish(Topics.cameraState(camera), Fixtures.json(Fixtures.state(camera, false, Instant.now())), 1, true);
      waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#camera-porch [data-field=availability]"), "online"));
      long t0 = System.nanoTime();
      client.publish(Topics.cameraEvents(camera),
          Fixtures.json(Fixtures.motion(camera, eventId, Phase.START, Instant.now())), 1, false);
      waitUpTo(Duration.ofSeconds(2)).pollingEvery(Duration.ofMillis(20))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("event-" + eventId)));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("dashboard showed the event " + ms + " ms after it was published");
      waitUpTo(Duration.ofSeconds(2)).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#camera-porch [data-field=availability]"), "online"));
    }
    assertThat(driver.getCurrentUrl()).isEqualTo(url("/"));
  }

  @Test
  @Order(3)
  void armAndDisarmButtonsPublishArmCommands() {
    driver.get(url("/"));
    waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.id("camera-porch")));
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      var commands = client.subscribe(Topics.CAMERAS + "/+/set/armed");
      driver.findElement(By.cssSelector("#camera-porch button.arm")).click();
      MqttTestClient.Received arm = poll(commands);
      assertThat(arm.topic()).isEqualTo(Topics.cameraSetArmed("porch"));
      assertThat(arm.payload()).contains("\"armed\":true").contains("\"requestedBy\":\"" + USER + "\"");
      driver.findElement(By.id("disarm-all")).click();
      MqttTestClient.Received disarm = poll(commands);
      assertThat(disarm.payload()).contains("\"armed\":false");
    }
  }

  private static MqttTestClient.Received poll(java.util.concurrent.BlockingQueue<MqttTestClient.Received> q) {
    try {
      MqttTestClient.Received r = q.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r).as("an ArmCommand on the broker").isNotNull();
      return r;
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(4)
  void notificationPreferencesRoundTripThroughTheNotifier() {
    try (FakeServicePeer notifier = new FakeServicePeer(broker.url(), Topics.NOTIFIER_COMMANDS,
        Topics.NOTIFIER_REPLIES, new java.util.LinkedHashMap<>(Map.of("motion", true, "quiet_start", "22:00")))) {
      driver.get(url("/notification_settings"));
      WebElement motion = waitUpTo(Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("notify-settings-motion")));
      assertThat(motion.isSelected()).isTrue();
      motion.click();
      driver.findElement(By.id("notify-settings-save")).click();
      waitUpTo(Duration.ofSeconds(10)).until(d -> notifier.received.stream()
          .anyMatch(c -> c.action().equals("settings_set") && Boolean.FALSE.equals(c.args().get("motion"))));
      driver.navigate().refresh();
      WebElement again = waitUpTo(Duration.ofSeconds(10))
          .until(ExpectedConditions.presenceOfElementLocated(By.id("notify-settings-motion")));
      assertThat(again.isSelected()).isFalse();
    }
  }

  @Test
  @Order(5)
  @SuppressWarnings("unchecked")
  void aPushDeliveredToTheServiceWorkerShowsANotificationWithImageAndActions() {
    driver.get(url("/"));
    String origin = url("");
    devTools.send(new Command<Void>("Browser.grantPermissions",
        Map.of("origin", origin, "permissions", List.of("notifications"))));
    JavascriptExecutor js = driver;
    Object scope = js.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "navigator.serviceWorker.ready.then(r => done(r.scope)).catch(e => done('error: ' + e));");
    assertThat(String.valueOf(scope)).isEqualTo(url("/"));
    String registrationId = waitUpTo(Duration.ofSeconds(10)).until(d -> registrations.stream()
        .filter(r -> url("/").equals(r.get("scopeURL")) && !Boolean.TRUE.equals(r.get("isDeleted")))
        .map(r -> String.valueOf(r.get("registrationId"))).reduce((a, b) -> b).orElse(null));
    String payload = "{\"title\":\"Motion on porch\",\"body\":\"Someone at the door\",\"tag\":\"camera-porch\","
        + "\"camera\":\"porch\",\"eventId\":\"evt-1\",\"url\":\"/events/evt-1\","
        + "\"image\":\"/media/m1/snapshot?exp=1&sig=x\",\"category\":\"motion\"}";
    // A worker that has only just activated can miss the first delivery on a cold browser, so the
    // same push (same tag: it replaces, never adds) is delivered again if nothing is shown yet.
    List<Map<String, Object>> shown = null;
    for (int attempt = 1; attempt <= 3 && shown == null; attempt++) {
      devTools.send(new Command<Void>("ServiceWorker.deliverPushMessage",
          Map.of("origin", origin, "registrationId", registrationId, "data", payload)));
      try {
        shown = waitUpTo(Duration.ofSeconds(8)).until(d -> {
          Object r = js.executeAsyncScript(
              "const done = arguments[arguments.length - 1];"
                  + "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => done(ns.map(n => ({"
                  + "title: n.title, body: n.body, image: n.image, tag: n.tag, url: n.data && n.data.url,"
                  + "renotify: n.renotify, silent: n.silent,"
                  + "actions: n.actions.map(a => a.action)})))).catch(e => done([]));");
          List<Map<String, Object>> list = (List<Map<String, Object>>) r;
          return list == null || list.isEmpty() ? null : list;
        });
      } catch (org.openqa.selenium.TimeoutException e) {
        System.out.println("push attempt " + attempt + " showed no notification yet");
      }
    }
    assertThat(shown).as("a notification shown after the push").isNotNull();
    Map<String, Object> n = shown.get(0);
    assertThat(n.get("title")).isEqualTo("Motion on porch");
    assertThat(String.valueOf(n.get("image"))).contains("/media/m1/snapshot");
    assertThat(n.get("tag")).isEqualTo("camera-porch");
    assertThat(n.get("url")).isEqualTo("/events/evt-1");
    // Chromium shows two buttons: the camera actions; a click on the body is "view", closing is "dismiss".
    assertThat((List<Object>) n.get("actions")).containsExactly("snooze", "disarm");
    // The first push of an event alerts (renotify on its tag, not silent) ...
    assertThat(n.get("renotify")).isEqualTo(true);
    assertThat(n.get("silent")).isEqualTo(false);

    // ... and the snapshot that follows under the same tag replaces it silently: one audible notification
    // per motion event (issue 14), through the real service worker.
    String update = payload.replace("\"category\":\"motion\"", "\"category\":\"motion\",\"update\":true")
        .replace("/media/m1/snapshot", "/media/m2/snapshot");
    devTools.send(new Command<Void>("ServiceWorker.deliverPushMessage",
        Map.of("origin", origin, "registrationId", registrationId, "data", update)));
    List<Map<String, Object>> after = waitUpTo(Duration.ofSeconds(8)).until(d -> {
      List<Map<String, Object>> list = (List<Map<String, Object>>) js.executeAsyncScript(
          "const done = arguments[arguments.length - 1];"
              + "navigator.serviceWorker.ready.then(r => r.getNotifications()).then(ns => done(ns.map(n => ({"
              + "tag: n.tag, image: n.image, silent: n.silent, renotify: n.renotify})))).catch(e => done([]));");
      return list != null && list.stream().anyMatch(x -> String.valueOf(x.get("image")).contains("/media/m2/"))
          ? list : null;
    });
    assertThat(after).as("the update replaced the first notification").hasSize(1);
    assertThat(after.get(0).get("tag")).isEqualTo("camera-porch");
    assertThat(after.get(0).get("silent")).isEqualTo(true);
    assertThat(after.get(0).get("renotify")).isEqualTo(false);
  }

  @Test
  @Order(6)
  void aClipTheCameraNoLongerHasPlaysFromTheArchiveAfterUnlockingAndSeeks() throws Exception {
    // A real H.264 clip (the camera agent's test scene), stored encrypted "by the uploader".
    byte[] clip = Files.readAllBytes(Path.of("..", "camera-agent", "src", "main", "resources", "org", "mecam",
        "agent", "capture", "test-moving-box.mp4"));
    String eventId = Ids.newId();
    String mediaId = Ids.newId();
    // Bound to its camera and media id, as the uploader writes it (playback refuses anything else).
    java.io.ByteArrayOutputStream sealed = new java.io.ByteArrayOutputStream();
    org.mecam.crypto.MediaEncryptor.encrypt(new java.io.ByteArrayInputStream(clip), sealed,
        org.mecam.crypto.EncryptionParams.builder().contentType("video/mp4").segmentSize(16 * 1024)
            .binding("attic", mediaId).recipient(BrowserSetup.ownerRecipient).build());
    String sha256 = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(clip));
    BrowserSetup.uploader.put(mediaId, sealed.toByteArray());
    Instant now = Instant.now();
    try (MqttTestClient client = MqttTestClient.connect(broker.url(), null, null)) {
      client.publish(Topics.cameraEvents("attic"),
          Fixtures.json(Fixtures.motion("attic", eventId, Phase.END, now)), 1, false);
      client.publish(Topics.cameraMedia("attic"), Fixtures.json(new org.mecam.events.MediaReady(
          org.mecam.events.Payload.SCHEMA, mediaId, "attic", now, eventId, org.mecam.events.MediaKind.CLIP,
          "clips/" + mediaId + ".mp4", "http://127.0.0.1:1/gone.mp4", sha256, clip.length, "video/mp4",
          now, now.plusSeconds(5))), 1, false);
    }
    waitUpTo(Duration.ofSeconds(10)).ignoring(org.openqa.selenium.WebDriverException.class).until(d -> {
      d.get(url("/events/" + eventId));
      return !d.findElements(By.id("clip")).isEmpty();
    });
    // The camera is gone and the archive locked: the page says so and offers the unlock form.
    waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(
        By.id("clip-note"), "no longer has this clip"));
    waitUpTo(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id("archive-passphrase")));
    driver.findElement(By.id("archive-passphrase")).sendKeys(TestSetup.ARCHIVE_PASSPHRASE);
    driver.findElement(By.cssSelector("#archive-unlock button[type=submit]")).click();
    JavascriptExecutor js = driver;
    waitUpTo(Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(js.executeScript(
        "const v = document.getElementById('clip'); return v.readyState >= 1 && v.duration > 0;")));
    Double duration = ((Number) js.executeScript("return document.getElementById('clip').duration;")).doubleValue();
    js.executeScript("const v = document.getElementById('clip'); v.currentTime = v.duration * 0.8;");
    waitUpTo(Duration.ofSeconds(15)).until(d -> Boolean.TRUE.equals(js.executeScript(
        "const v = document.getElementById('clip'); return !v.seeking && v.readyState >= 2 && v.currentTime > 0;")));
    assertThat(duration).isGreaterThan(0.5);
    assertThat(BrowserSetup.uploader.served(mediaId)).isNotEmpty()
        .allMatch(r -> r.status() == 206, "every read of the stored file was a Range request");
    keepScreenshot("archive-playback");
  }

  @Test
  @Order(7)
  void pagesFitA360PixelScreen() {
    driver.manage().window().setSize(new Dimension(360, 800));
    try {
      for (String page : List.of("/", "/events", "/cloud_settings", "/notification_settings", "/account")) {
        driver.get(url(page));
        Long width = (Long) driver.executeScript("return document.documentElement.scrollWidth;");
        Long inner = (Long) driver.executeScript("return window.innerWidth;");
        assertThat(width).as("page " + page + " scroll width at " + inner + " px").isLessThanOrEqualTo(inner);
        keepScreenshot("360-" + (page.equals("/") ? "dashboard" : page.substring(1)));
      }
    } finally {
      driver.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  @Order(8)
  void noConsoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()
          // the deliberately wrong password answers 401, which Chromium logs as a failed resource
          && !(e.getMessage().contains("/login") && e.getMessage().contains("401"))
          // the uploader is not running in this test, so the cloud page's calls answer 504 by design
          && !e.getMessage().contains("/api/cloud/")
          // the clip whose camera is gone answers 423 while the archive is locked, by design
          && !(e.getMessage().contains("/clip") && e.getMessage().contains("423"))) {
        errors.add(e.getLevel() + " " + e.getMessage());
      }
    }
    assertThat(errors).isEmpty();
  }

  /** Keeps a screenshot of the current page under target/browser-screenshots/ for a human to look at. */
  static void keepScreenshot(String name) {
    try {
      Path dir = Paths.get("target", "browser-screenshots");
      Files.createDirectories(dir);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      System.err.println("could not keep a screenshot: " + e);
    }
  }

  /** Keeps a screenshot and the page source of a failed browser test under target/browser-failures/. */
  static class ScreenshotOnFailure implements TestWatcher {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      if (driver == null) {
        return;
      }
      try {
        Path dir = Paths.get("target", "browser-failures");
        Files.createDirectories(dir);
        String name = context.getRequiredTestMethod().getName();
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve(name + ".html"), driver.getPageSource());
      } catch (Exception e) {
        System.err.println("could not keep a screenshot: " + e);
      }
    }
  }
}

package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mecam.crypto.OwnerKeyFile;
import org.mecam.events.PayloadCodec;
import org.mecam.events.Topics;
import org.mecam.events.WebUiSettings;
import org.mecam.recovery.RecoverCommand;
import org.mecam.testkit.MqttBroker;
import org.mecam.testkit.MqttTestClient;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.testkit.quarkus.InjectBroker;
import org.mecam.webui.onboarding.SetupCode;
import org.mecam.webui.security.Accounts;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * First-run setup on a fresh installation: the setup code is logged once, setup is refused without
 * it (form and API), and with it creates the owner, the archive key pair (usable by mecam-recover)
 * and the public URL, published retained for the notifier.
 */
@QuarkusTest
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OnboardingSetup.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetupTest {
  static final String USER = "alice";
  static final String PASSWORD = "alice's long password";
  static final String PASSPHRASE = "the archive passphrase of alice";
  static final String PUBLIC_URL = "https://mecam.example.lan:8443";
  static final Pattern CODE_LINE = Pattern.compile("mecam setup code: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})");

  @InjectBroker MqttBroker broker;
  @Inject SetupCode setupCode;
  @Inject Accounts accounts;

  static List<String> codeLines() throws IOException {
    return Files.readAllLines(OnboardingSetup.logFile, StandardCharsets.UTF_8).stream()
        .filter(l -> l.contains("mecam setup code:")).toList();
  }

  static String codeFromLog() throws IOException {
    List<String> lines = codeLines();
    assertThat(lines).hasSize(1);
    Matcher m = CODE_LINE.matcher(lines.get(0));
    assertThat(m.find()).as(lines.get(0)).isTrue();
    return m.group(1);
  }

  /** Posts the HTML setup form like a browser: the form's CSRF token in the field and the cookie. */
  static Response postForm(Map<String, String> fields) {
    Response page = given().get("/setup");
    String csrf = page.htmlPath().getString("**.find { it.@name == 'csrf' }.@value");
    var req = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
        .cookie("mecam_form_csrf", page.cookie("mecam_form_csrf")).formParam("csrf", csrf);
    fields.forEach(req::formParam);
    return req.post("/setup");
  }

  static Map<String, String> form(String code) {
    Map<String, String> m = new java.util.HashMap<>(Map.of("username", USER, "password", PASSWORD,
        "confirm", PASSWORD, "passphrase", PASSPHRASE, "passphraseConfirm", PASSPHRASE, "publicUrl", PUBLIC_URL));
    if (code != null) {
      m.put("code", code);
    }
    return m;
  }

  static Map<String, Object> json(String code) {
    Map<String, Object> m = new java.util.HashMap<>(Map.of("username", USER, "password", PASSWORD,
        "passphrase", PASSPHRASE, "publicUrl", PUBLIC_URL));
    if (code != null) {
      m.put("code", code);
    }
    return m;
  }

  @Test
  @Order(1)
  void setupWithoutTheCodeFromTheLogIsRefused() throws IOException {
    String code = codeFromLog();
    assertThat(setupCode.currentForTests()).contains(code);
    given().get("/setup").then().statusCode(200).body(containsString("name=\"code\""))
        .body(containsString("name=\"passphrase\"")).body(containsString("name=\"publicUrl\""));

    // The hole this closes: anyone reaching /setup first became the owner.
    Response noCode = postForm(form(null));
    assertThat(noCode.statusCode()).isEqualTo(403);
    assertThat(noCode.body().asString()).contains("setup code");
    Response wrong = postForm(form("AAAA-AAAA-AAAA"));
    assertThat(wrong.statusCode()).isEqualTo(403);
    given().contentType("application/json").body(json(null)).post("/api/setup")
        .then().statusCode(403).body("error", containsString("setup code"));
    given().contentType("application/json").body(json("CCCC-CCCC-CCCC")).post("/api/setup")
        .then().statusCode(403);
    assertThat(accounts.ownerExists()).isFalse();

    // Right code, bad input: 400 with the reason, and nothing created.
    Map<String, Object> shortPass = json(code);
    shortPass.put("passphrase", "short");
    given().contentType("application/json").body(shortPass).post("/api/setup")
        .then().statusCode(400).body("error", containsString("passphrase"));
    Map<String, Object> badUrl = json(code);
    badUrl.put("publicUrl", "mecam.lan");
    given().contentType("application/json").body(badUrl).post("/api/setup")
        .then().statusCode(400).body("error", containsString("https://"));
    Map<String, Object> samePass = json(code);
    samePass.put("passphrase", PASSWORD);
    given().contentType("application/json").body(samePass).post("/api/setup")
        .then().statusCode(400).body("error", containsString("differ"));
    assertThat(accounts.ownerExists()).isFalse();
    assertThat(OnboardingSetup.dataDir.resolve("owner.key")).doesNotExist();
    assertThat(OnboardingSetup.sharedDir.resolve("archive-key.pub")).doesNotExist();
  }

  @Test
  @Order(2)
  void setupWithTheCodeCreatesOwnerArchiveKeyAndPublicUrl() throws Exception {
    String code = codeFromLog();
    Response r = given().contentType("application/json").body(json(code.toLowerCase())).post("/api/setup");
    assertThat(r.statusCode()).as(r.body().asString()).isEqualTo(201);
    assertThat(r.jsonPath().getString("username")).isEqualTo(USER);
    assertThat(r.jsonPath().getString("publicUrl")).isEqualTo(PUBLIC_URL);
    String session = r.cookie("mecam_session");
    assertThat(session).isNotBlank();
    given().cookie("mecam_session", session).get("/api/session").then().statusCode(200)
        .body("username", org.hamcrest.Matchers.equalTo(USER)).body("role", org.hamcrest.Matchers.equalTo("owner"));

    Path ownerKey = OnboardingSetup.dataDir.resolve("owner.key");
    Path pub = OnboardingSetup.sharedDir.resolve("archive-key.pub");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ownerKey))).isEqualTo("rw-------");
    assertThat(Files.readString(pub).strip()).isEqualTo(OwnerKeyFile.readRecipient(ownerKey).toText());
    assertThat(Files.readString(ownerKey)).contains("argon2id").doesNotContain(PASSPHRASE);

    // Retained for the notifier, which may start later.
    try (MqttTestClient c = MqttTestClient.connect(broker.url(), null, null)) {
      c.subscribe(Topics.WEBUI_SETTINGS);
      MqttTestClient.Received m = c.await(Topics.WEBUI_SETTINGS, Duration.ofSeconds(5));
      assertThat(m.retained()).isTrue();
      WebUiSettings s = PayloadCodec.decode(m.topic(), m.payload().getBytes(StandardCharsets.UTF_8),
          WebUiSettings.class);
      assertThat(s.publicUrl()).isEqualTo(PUBLIC_URL);
    }

    // This broker has no dynamic security plugin: adding a camera says so instead of hanging.
    String csrf = r.jsonPath().getString("csrfToken");
    given().cookie("mecam_session", session).header("X-CSRF-Token", csrf).contentType("application/json")
        .body(Map.of("id", "porch", "name", "Porch", "mediaUrl", "http://192.168.1.50:8090")).post("/api/cameras")
        .then().statusCode(503).body("error", containsString("dynamic security plugin"));
    assertThat(OnboardingSetup.sharedDir.resolve("cameras.json")).doesNotExist();
    given().cookie("mecam_session", session).get("/welcome").then().statusCode(200)
        .body(containsString("Add a camera")).body(containsString(PUBLIC_URL));

    // Setup is closed for good, and the code was never logged again.
    given().contentType("application/json").body(json(code)).post("/api/setup").then().statusCode(409);
    assertThat(postForm(form(code)).statusCode()).isEqualTo(303);
    assertThat(setupCode.currentForTests()).isEmpty();
    assertThat(codeLines()).hasSize(1);
    assertThat(Files.readString(OnboardingSetup.logFile)).doesNotContain(PASSPHRASE).doesNotContain(PASSWORD);
  }

  @Test
  @Order(3)
  void theRecoveryCliWorksOnTheKeyMadeAtSetup() throws IOException {
    Path dir = Files.createTempDirectory(OnboardingSetup.dataDir.getParent(), "recover");
    Path ownerKey = OnboardingSetup.dataDir.resolve("owner.key");
    Path pub = OnboardingSetup.sharedDir.resolve("archive-key.pub");
    Path pass = TestSetup.secret(dir.resolve("pass"), PASSPHRASE);
    Path newPass = TestSetup.secret(dir.resolve("new-pass"), "another long passphrase");
    byte[] clip = new byte[300_000];
    new java.util.Random(7).nextBytes(clip);
    Path plain = dir.resolve("clip.mp4");
    Files.write(plain, clip);

    Path enc = dir.resolve("clip.mp4.mecam");
    assertThat(cli("encrypt", "-R", pub.toString(), "--content-type", "video/mp4", "-o", enc.toString(),
        plain.toString())).isZero();
    Path out = dir.resolve("decrypted.mp4");
    assertThat(cli("decrypt", "-k", ownerKey.toString(), "--passphrase-file", pass.toString(), "-o",
        out.toString(), enc.toString())).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(clip);

    Path code = dir.resolve("recovery-code.txt");
    assertThat(cli("export-key", "-k", ownerKey.toString(), "--passphrase-file", pass.toString(), "-o",
        code.toString())).isZero();
    Path imported = dir.resolve("imported.key");
    assertThat(cli("import-key", "--code", code.toString(), "-o", imported.toString(), "--passphrase-file",
        newPass.toString(), "--argon2-memory-kib", "19456", "--argon2-iterations", "2")).isZero();
    Path out2 = dir.resolve("decrypted-2.mp4");
    assertThat(cli("decrypt", "-k", imported.toString(), "--passphrase-file", newPass.toString(), "-o",
        out2.toString(), enc.toString())).isZero();
    assertThat(Files.readAllBytes(out2)).isEqualTo(clip);
    // A wrong passphrase does not open it.
    Path wrong = TestSetup.secret(dir.resolve("wrong"), "not the passphrase at all");
    assertThat(cli("decrypt", "-k", ownerKey.toString(), "--passphrase-file", wrong.toString(), "-o",
        dir.resolve("x").toString(), enc.toString())).isNotZero();
  }

  static int cli(String... args) {
    return RecoverCommand.commandLine(new RecoverCommand()).execute(args);
  }
}

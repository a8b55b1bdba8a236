package org.mecam.webui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mecam.testkit.quarkus.BrokerTestResource;
import org.mecam.webui.security.KdfGate;
import org.mecam.webui.security.LoginThrottle;

/**
 * Issue 12 #5: login under load and behind a reverse proxy (here: the test client on loopback is the
 * trusted proxy and names clients in X-Forwarded-For). 50 parallel wrong logins: no more passwords are
 * checked than the throttle allows (failed on the old code, where nearly all 50 raced past the check),
 * at most {@code login-hash-concurrency} Argon2id derivations run at once, the account (at that address)
 * and the address are throttled afterwards, and the owner still logs in from their own address.
 */
@QuarkusTest
@TestProfile(LoginUnderLoadTest.BehindProxy.class)
@QuarkusTestResource(value = BrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestSetup.class, restrictToAnnotatedClass = true)
class LoginUnderLoadTest {
  private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private static final String ATTACKER = "203.0.113.7";
  private static final String HOME = "198.51.100.9";

  /** Loopback is the reverse proxy; two derivations at once. */
  public static class BehindProxy implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("mecam.webui.trusted-proxies", "127.0.0.0/8,::1/128",
          "mecam.webui.login-hash-concurrency", "2");
    }
  }

  @Inject
  KdfGate gate;
  @Inject
  LoginThrottle throttle;

  record Form(String cookie, String csrf) {}

  static Form form() {
    Response page = given().get("/login");
    Matcher m = CSRF_FIELD.matcher(page.asString());
    assertThat(m.find()).isTrue();
    return new Form(page.cookie("mecam_form_csrf"), m.group(1));
  }

  static int login(Form f, String from, String user, String password) {
    return given().redirects().follow(false).cookie("mecam_form_csrf", f.cookie()).header("X-Forwarded-For", from)
        .formParam("username", user).formParam("password", password).formParam("csrf", f.csrf())
        .formParam("next", "/").post("/login").statusCode();
  }

  @Test
  void fiftyParallelWrongLoginsAreBoundedAndThrottledAndTheOwnerStillGetsIn() throws Exception {
    throttle.reset();
    Form f = form();
    assertThat(login(f, HOME, TestSetup.OWNER, TestSetup.PASSWORD)).isEqualTo(303);

    var memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long baseline = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peakHeap = new AtomicLong(baseline);
    AtomicBoolean sampling = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        Thread.onSpinWait();
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    gate.resetPeak();

    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      answers.add(pool.submit(() -> {
        go.await();
        return login(f, ATTACKER, TestSetup.OWNER, "wrong password " + Thread.currentThread().getId());
      }));
    }
    go.countDown();
    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (Future<Integer> a : answers) {
      byStatus.merge(a.get(), 1, Integer::sum);
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    sampling.set(false);
    sampler.join();
    pool.shutdown();
    System.out.printf("50 parallel wrong logins: answers %s in %d ms; at most %d derivations at once;"
        + " peak heap growth %.1f MiB%n", byStatus, tookMs, gate.peak(),
        (peakHeap.get() - baseline) / 1048576.0);

    assertThat(byStatus.keySet()).isSubsetOf(401, 429, 503);
    assertThat(byStatus.getOrDefault(401, 0)).as("passwords checked").isBetween(1, 5);
    assertThat(gate.peak()).as("derivations at once").isBetween(1, 2);

    // Attempts refused as busy (503) were not counted: the attacker may use up the rest of the limit,
    // never more, and then the account is throttled at that address, even with the right password...
    int checked = byStatus.getOrDefault(401, 0);
    while (checked < 5) {
      assertThat(login(f, ATTACKER, TestSetup.OWNER, "wrong password")).isIn(401, 503);
      checked++;
    }
    assertThat(login(f, ATTACKER, TestSetup.OWNER, "wrong password")).isEqualTo(429);
    assertThat(login(f, ATTACKER, TestSetup.OWNER, TestSetup.PASSWORD)).isEqualTo(429);
    // ...and the owner still gets in from home.
    assertThat(login(f, HOME, TestSetup.OWNER, TestSetup.PASSWORD)).isEqualTo(303);

    // The address is throttled across user names after four times the limit.
    int attempts = 0;
    while (login(f, ATTACKER, "guess-" + attempts, "wrong password") != 429) {
      attempts++;
      assertThat(attempts).isLessThanOrEqualTo(20);
    }
    assertThat(login(f, ATTACKER, "never-tried", "wrong password")).isEqualTo(429);
    assertThat(login(f, "192.0.2.44", "never-tried", "wrong password")).isEqualTo(401);
    throttle.reset();
  }

  @Test
  void aBurstBeyondTheDerivationSlotsIsRefusedFastWith503() throws Exception {
    throttle.reset();
    Form f = form();
    ExecutorService pool = Executors.newFixedThreadPool(40);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> answers = new ArrayList<>();
    // Forty different users from forty addresses: the throttle lets each one through.
    for (int i = 0; i < 40; i++) {
      String from = "192.0.2." + (i + 1);
      String user = "user" + i;
      answers.add(pool.submit(() -> {
        go.await();
        return login(f, from, user, "wrong password");
      }));
    }
    gate.resetPeak();
    go.countDown();
    Map<Integer, Integer> byStatus = new TreeMap<>();
    for (Future<Integer> a : answers) {
      byStatus.merge(a.get(), 1, Integer::sum);
    }
    pool.shutdown();
    System.out.printf("40 parallel logins from 40 addresses: answers %s; at most %d derivations at once%n",
        byStatus, gate.peak());
    assertThat(byStatus.keySet()).isSubsetOf(401, 503);
    assertThat(byStatus.getOrDefault(503, 0)).as("refused as busy").isPositive();
    assertThat(gate.peak()).isBetween(1, 2);
    throttle.reset();
  }
}

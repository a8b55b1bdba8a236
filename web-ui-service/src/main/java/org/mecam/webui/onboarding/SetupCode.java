package org.mecam.webui.onboarding;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mecam.webui.security.Accounts;

/**
 * The one-time setup code that proves the person creating the owner account can read the web UI's
 * log (as Home Assistant and Jenkins do): made fresh at every start while no owner exists, logged
 * once as {@code mecam setup code: XXXX-XXXX-XXXX} and nowhere else, compared in constant time, and
 * forgotten once the owner exists. Wrong codes are throttled per client address and in total.
 */
@ApplicationScoped
public class SetupCode {
  /** No 0/O, 1/I/L, 5/S, 8/B: easy to read off a terminal and type on a phone. */
  static final String ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679";
  static final int LENGTH = 12;
  /** Wrong codes allowed per address before it must wait; the wait doubles with each further one. */
  static final int FREE_FAILURES = 5;
  static final Duration FIRST_WAIT = Duration.ofSeconds(30);
  static final Duration MAX_WAIT = Duration.ofMinutes(15);
  /** Wrong codes from all addresses together per start before every attempt waits too. */
  static final int GLOBAL_FREE_FAILURES = 50;

  /** The outcome of checking a code. */
  public sealed interface Check {
    /** The code is right. */
    record Accepted() implements Check {}

    /** The code is missing or wrong. */
    record Wrong() implements Check {}

    /** Too many wrong codes: try again after {@code retryAfter}. */
    record Throttled(Duration retryAfter) implements Check {}

    /** No code exists: the owner has been created. */
    record Closed() implements Check {}
  }

  private record Failures(int count, Instant until) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Accounts accounts;
  private final Clock clock;
  private final Map<String, Failures> failures = new HashMap<>();
  private Failures global = new Failures(0, Instant.MIN);
  private String code;

  public SetupCode(Accounts accounts, Clock clock) {
    this.accounts = accounts;
    this.clock = clock;
  }

  /** After the bootstrap owner (if configured) was created, so no code is made then. */
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
    if (accounts.ownerExists()) {
      return;
    }
    String c = generate();
    synchronized (this) {
      code = c;
    }
    Log.info("mecam setup code: " + c);
  }

  /** Opens setup with a known code (unit tests). */
  synchronized void openWith(String c) {
    code = c;
  }

  static String generate() {
    StringBuilder b = new StringBuilder(LENGTH + 2);
    for (int i = 0; i < LENGTH; i++) {
      if (i > 0 && i % 4 == 0) {
        b.append('-');
      }
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /**
   * The code as typed, without spaces and dashes and in upper case, so {@code abcd efgh jkmn} and
   * {@code ABCD-EFGH-JKMN} are the same code.
   */
  static String normalise(String typed) {
    if (typed == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (char ch : typed.toCharArray()) {
      if (ch != '-' && !Character.isWhitespace(ch)) {
        b.append(ch);
      }
      if (b.length() > 64) {
        break;
      }
    }
    return b.toString().toUpperCase(Locale.ROOT);
  }

  /** Whether setup is still open (no owner yet). */
  public synchronized boolean open() {
    return code != null;
  }

  /** Checks {@code typed} from client {@code address}; a wrong code counts against the address. */
  public synchronized Check check(String typed, String address) {
    if (code == null) {
      return new Check.Closed();
    }
    Instant now = clock.instant();
    Failures mine = failures.getOrDefault(address, new Failures(0, Instant.MIN));
    Instant until = mine.until().isAfter(global.until()) ? mine.until() : global.until();
    if (now.isBefore(until)) {
      return new Check.Throttled(Duration.between(now, until));
    }
    byte[] expected = normalise(code).getBytes(StandardCharsets.UTF_8);
    byte[] given = normalise(typed).getBytes(StandardCharsets.UTF_8);
    if (MessageDigest.isEqual(expected, given)) {
      return new Check.Accepted();
    }
    failures.put(address, next(mine, now, FREE_FAILURES));
    global = next(global, now, GLOBAL_FREE_FAILURES);
    if (failures.size() > 10_000) {
      failures.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
    }
    return new Check.Wrong();
  }

  private static Failures next(Failures f, Instant now, int free) {
    int count = f.count() + 1;
    if (count < free) {
      return new Failures(count, Instant.MIN);
    }
    long factor = 1L << Math.min(count - free, 10);
    Duration wait = FIRST_WAIT.multipliedBy(factor);
    if (wait.compareTo(MAX_WAIT) > 0) {
      wait = MAX_WAIT;
    }
    return new Failures(count, now.plus(wait));
  }

  /** Forgets the code for good: the owner exists. */
  public synchronized void used() {
    code = null;
    failures.clear();
  }

  /** The current code; only for tests, which play the person reading the log. Never shown or logged elsewhere. */
  public synchronized Optional<String> currentForTests() {
    return Optional.ofNullable(code);
  }
}

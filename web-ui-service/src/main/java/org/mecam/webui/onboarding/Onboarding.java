package org.mecam.webui.onboarding;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import org.mecam.events.WebUiSettings;
import org.mecam.webui.security.Accounts;
import org.mecam.webui.security.ApiTokens;
import org.mecam.webui.security.Sessions;

/**
 * First-run setup, shared by the HTML form and {@code POST /api/setup}: checks the setup code from
 * the log, the account, the archive passphrase and the public URL; creates the archive key pair,
 * the owner account and the public-URL setting; then closes setup for good.
 */
@ApplicationScoped
public class Onboarding {
  /** Shortest archive passphrase accepted. */
  public static final int MIN_PASSPHRASE = 12;

  /** What the owner types at setup. */
  public record SetupRequest(String code, String username, String password, String passphrase, String publicUrl) {
    @Override
    public String toString() {
      return "SetupRequest[username=" + username + ", publicUrl=" + publicUrl + "]";
    }
  }

  /** Setup refused: the HTTP status and a message for the person at the form. */
  public static final class Refused extends RuntimeException {
    private final int status;

    public Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final SetupCode code;
  private final Accounts accounts;
  private final ApiTokens tokens;
  private final Sessions sessions;
  private final ArchiveKeyFiles keys;
  private final PublicUrlSetting publicUrl;

  public Onboarding(SetupCode code, Accounts accounts, ApiTokens tokens, Sessions sessions, ArchiveKeyFiles keys,
      PublicUrlSetting publicUrl) {
    this.code = code;
    this.accounts = accounts;
    this.tokens = tokens;
    this.sessions = sessions;
    this.keys = keys;
    this.publicUrl = publicUrl;
  }

  /** Whether setup is open (no owner yet). */
  public boolean open() {
    return !accounts.ownerExists();
  }

  /**
   * Runs setup for a caller at {@code address}; returns the new owner's session. Refusals: 409
   * owner exists, 403 missing/wrong code, 429 too many wrong codes, 400 bad input.
   */
  public synchronized Sessions.Created setup(SetupRequest r, String address) {
    if (accounts.ownerExists()) {
      throw new Refused(409, "setup is done: an owner account exists; log in instead");
    }
    SetupCode.Check check = code.check(r.code(), address);
    if (check instanceof SetupCode.Check.Throttled t) {
      Log.infof("setup from %s refused: too many wrong setup codes", address);
      throw new Refused(429, "too many wrong setup codes; try again in " + (t.retryAfter().toSeconds() + 1) + " s");
    }
    if (check instanceof SetupCode.Check.Closed) {
      throw new Refused(409, "setup is done: an owner account exists; log in instead");
    }
    if (!(check instanceof SetupCode.Check.Accepted)) {
      Log.infof("setup from %s refused: missing or wrong setup code", address);
      throw new Refused(403, "missing or wrong setup code: copy it from the web UI's log"
          + " (docker compose logs web-ui-service | grep 'setup code')");
    }
    String user = r.username() == null ? "" : r.username().strip();
    String problem = Accounts.problem(user, r.password());
    if (problem != null) {
      throw new Refused(400, problem);
    }
    String passphrase = r.passphrase();
    if (passphrase == null || passphrase.length() < MIN_PASSPHRASE || passphrase.length() > 1024) {
      throw new Refused(400, "the archive passphrase must be " + MIN_PASSPHRASE + " to 1024 characters long");
    }
    if (passphrase.equals(r.password())) {
      throw new Refused(400, "the archive passphrase must differ from the password");
    }
    String url;
    try {
      url = WebUiSettings.normalisePublicUrl(r.publicUrl());
    } catch (IllegalArgumentException e) {
      throw new Refused(400, e.getMessage());
    }
    long started = System.nanoTime();
    try {
      keys.ensure(passphrase.toCharArray());
    } catch (ArchiveKeyFiles.WrongPassphrase e) {
      throw new Refused(400, e.getMessage());
    } catch (IOException | RuntimeException e) {
      Log.errorf("setup: cannot create the archive key: %s", e.getMessage());
      throw new Refused(500, "cannot create the archive key: " + e.getMessage());
    }
    if (!accounts.createOwner(user, r.password().toCharArray())) {
      throw new Refused(409, "setup is done: an owner account exists; log in instead");
    }
    code.used();
    tokens.ownerCreated();
    publicUrl.set(url);
    Log.infof("owner account '%s' created by first-run setup (%d ms)", user,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return sessions.create(user);
  }
}

package org.mecam.webui.store;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.List;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.store.SqliteDatabase;

/** Owns the web UI's SQLite file ({@code <data-dir>/web-ui.db}) and its schema migrations. */
@ApplicationScoped
public class WebUiDatabase {
  static final List<String> MIGRATIONS = List.of("db/webui/V1__init.sql", "db/webui/V2__accounts.sql");

  private final SqliteDatabase db;

  public WebUiDatabase(ServiceConfig service) {
    // DriverManager loads drivers once per JVM; a second application in the same JVM (a test with its
    // own profile) has its own class loader, whose driver must be registered by loading it.
    try {
      Class.forName("org.sqlite.JDBC");
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the SQLite JDBC driver is missing", e);
    }
    this.db = SqliteDatabase.open(service.dataDir().resolve("web-ui.db"), MIGRATIONS);
    Log.infof("database %s open", db.file());
  }

  public <T> T inTransaction(SqliteDatabase.Work<T> work) {
    try {
      return db.inTransaction(work);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  public <T> T read(SqliteDatabase.Work<T> work) {
    try {
      return db.read(work);
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  void close(@Observes @Priority(20) ShutdownEvent event) {
    db.close();
  }

  /** A database failure; handlers let it propagate so the message is retried, the API answers 503. */
  public static final class StoreException extends RuntimeException {
    StoreException(SQLException cause) {
      super("database error: " + cause.getMessage(), cause);
    }
  }
}

package org.mecam.notifier.store;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.util.List;
import org.mecam.servicekit.ServiceConfig;
import org.mecam.store.SqliteDatabase;

/** Opens the notifier's own SQLite database ({@code <data-dir>/notifier.db}) and closes it last. */
@ApplicationScoped
public class NotifierDatabase {
  static final List<String> MIGRATIONS = List.of("db/notifier/V1__init.sql",
      "db/notifier/V2__rate_limit_indexes.sql", "db/notifier/V3__webhook.sql",
      "db/notifier/V4__fair_limits.sql");

  private final SqliteDatabase db;

  public NotifierDatabase(ServiceConfig service) {
    this.db = SqliteDatabase.open(service.dataDir().resolve("notifier.db"), MIGRATIONS);
  }

  public <T> T inTransaction(SqliteDatabase.Work<T> work) throws SQLException {
    return db.inTransaction(work);
  }

  public <T> T read(SqliteDatabase.Work<T> work) throws SQLException {
    return db.read(work);
  }

  void close(@Observes @Priority(100) ShutdownEvent event) {
    db.close();
  }
}

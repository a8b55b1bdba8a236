package org.mecam.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * A service's own embedded SQLite database: WAL journal with {@code synchronous=FULL}, so a
 * committed transaction survives {@code kill -9} and power loss, and a schema brought up to date
 * by numbered migrations (one SQL resource per step, version kept in {@code PRAGMA user_version}).
 */
public final class SqliteDatabase implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SqliteDatabase.class.getName());

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final Path file;

  /** Work done with the connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private SqliteDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) the database and applies the migrations it lacks, in order.
   *
   * @param migrations classpath resources, the first being version 1, e.g. {@code db/uploader/V1__init.sql}
   */
  public static SqliteDatabase open(Path file, List<String> migrations) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA foreign_keys=ON");
        s.execute("PRAGMA busy_timeout=5000");
      }
      SqliteDatabase db = new SqliteDatabase(file, c);
      db.migrate(migrations);
      return db;
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  private void migrate(List<String> migrations) throws SQLException, IOException {
    int current = userVersion();
    if (current > migrations.size()) {
      throw new IllegalStateException("database " + file + " has schema version " + current
          + " but this program knows only " + migrations.size() + "; refusing to downgrade");
    }
    for (int v = current + 1; v <= migrations.size(); v++) {
      String resource = migrations.get(v - 1);
      String sql = readResource(resource);
      final int version = v;
      inTransaction(c -> {
        try (Statement s = c.createStatement()) {
          for (String statement : sql.split(";\\s*(\\r?\\n|$)")) {
            if (!statement.isBlank()) {
              s.execute(statement);
            }
          }
          s.execute("PRAGMA user_version=" + version);
        }
        return null;
      });
      LOG.info("database " + file.getFileName() + " migrated to schema version " + v);
    }
  }

  /** The schema version now in the file. */
  public int userVersion() throws SQLException {
    try (Statement s = connection.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static String readResource(String resource) throws IOException {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    InputStream found = cl == null ? null : cl.getResourceAsStream(resource);
    if (found == null) {
      found = SqliteDatabase.class.getClassLoader().getResourceAsStream(resource);
    }
    if (found == null) {
      throw new IOException("migration resource not found: " + resource);
    }
    try (InputStream in = found) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs {@code work} in one transaction; commits when it returns, rolls back when it throws. */
  public <T> T inTransaction(Work<T> work) throws SQLException {
    lock.lock();
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs read-only work with the connection (serialised with writes; SQLite has one writer anyway). */
  public <T> T read(Work<T> work) throws SQLException {
    lock.lock();
    try {
      return work.run(connection);
    } finally {
      lock.unlock();
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.fine("close: " + e.getMessage());
    } finally {
      lock.unlock();
    }
  }
}

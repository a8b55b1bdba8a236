package org.mecam.notifier.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Replies already given to commands (so a redelivered command is answered the same) and small settings. */
@ApplicationScoped
public class CommandStore {

  public String reply(Connection c, String commandId) throws SQLException {
    return Sql.one(c, "SELECT reply FROM command_reply WHERE command_id=?", rs -> rs.getString(1), commandId);
  }

  public void saveReply(Connection c, String commandId, String reply, Instant now) throws SQLException {
    Sql.update(c, "INSERT OR REPLACE INTO command_reply(command_id, reply, created_at) VALUES (?,?,?)",
        commandId, reply, now);
  }

  public String setting(Connection c, String name) throws SQLException {
    return Sql.one(c, "SELECT value FROM setting WHERE name=?", rs -> rs.getString(1), name);
  }

  public void putSetting(Connection c, String name, String value) throws SQLException {
    Sql.update(c, "INSERT OR REPLACE INTO setting(name, value) VALUES (?,?)", name, value);
  }
}

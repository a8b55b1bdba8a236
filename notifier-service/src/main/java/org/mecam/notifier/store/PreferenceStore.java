package org.mecam.notifier.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.ZoneId;
import org.mecam.notifier.domain.Preferences;

/** Per-user preferences; a user without a row gets {@link Preferences#defaults}. */
@ApplicationScoped
public class PreferenceStore {

  public Preferences get(Connection c, String user) throws SQLException {
    Preferences p = Sql.one(c, "SELECT * FROM preference WHERE user_name=?", rs -> new Preferences(
        rs.getString("user_name"), rs.getInt("motion") == 1, rs.getInt("security") == 1, rs.getInt("system") == 1,
        rs.getInt("daily_summary") == 1, rs.getInt("include_snapshots") == 1, time(rs.getString("quiet_start")),
        time(rs.getString("quiet_end")), ZoneId.of(rs.getString("timezone"))), user);
    return p == null ? Preferences.defaults(user) : p;
  }

  public void put(Connection c, Preferences p) throws SQLException {
    Sql.update(c, "INSERT OR REPLACE INTO preference(user_name, motion, security, system, daily_summary,"
            + " include_snapshots, quiet_start, quiet_end, timezone) VALUES (?,?,?,?,?,?,?,?,?)",
        p.user(), p.motion(), p.security(), p.system(), p.dailySummary(), p.includeSnapshots(),
        p.quietStart() == null ? null : p.quietStart().toString(),
        p.quietEnd() == null ? null : p.quietEnd().toString(), p.timezone().getId());
  }

  /** Forgets a user's preferences (the user was removed). */
  public void delete(Connection c, String user) throws SQLException {
    Sql.update(c, "DELETE FROM preference WHERE user_name=?", user);
  }

  private static LocalTime time(String s) {
    return s == null ? null : LocalTime.parse(s);
  }
}

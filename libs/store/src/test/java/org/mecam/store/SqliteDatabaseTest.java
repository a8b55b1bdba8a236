package org.mecam.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDatabaseTest {
  @TempDir Path dir;

  @Test
  void appliesMigrationsInOrderOnceAndKeepsData() throws Exception {
    Path file = dir.resolve("a.db");
    try (SqliteDatabase db = SqliteDatabase.open(file, List.of("db/test/V1__init.sql"))) {
      assertThat(db.userVersion()).isEqualTo(1);
      db.inTransaction(c -> c.createStatement().executeUpdate("INSERT INTO item VALUES ('x','y')"));
    }
    try (SqliteDatabase db = SqliteDatabase.open(file,
        List.of("db/test/V1__init.sql", "db/test/V2__add_column.sql"))) {
      assertThat(db.userVersion()).isEqualTo(2);
      int count = db.read(c -> {
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM item WHERE created_at IS NULL");
        rs.next();
        return rs.getInt(1);
      });
      assertThat(count).isEqualTo(1);
    }
  }

  @Test
  void rollsBackWhenWorkFails() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("b.db"), List.of("db/test/V1__init.sql"))) {
      assertThatThrownBy(() -> db.inTransaction(c -> {
        c.createStatement().executeUpdate("INSERT INTO item VALUES ('x','y')");
        c.createStatement().executeUpdate("INSERT INTO item VALUES ('x','again')");
        return null;
      })).isInstanceOf(SQLException.class);
      int count = db.read(c -> {
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM item");
        rs.next();
        return rs.getInt(1);
      });
      assertThat(count).isZero();
    }
  }

  @Test
  void refusesToOpenANewerSchema() {
    Path file = dir.resolve("c.db");
    SqliteDatabase.open(file, List.of("db/test/V1__init.sql", "db/test/V2__add_column.sql")).close();
    assertThatThrownBy(() -> SqliteDatabase.open(file, List.of("db/test/V1__init.sql")))
        .hasMessageContaining("refusing to downgrade");
  }
}

package io.r2estream.connect.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet copies written by the real DuckDB engine and read back with it. */
class ParquetCopiesTest {

  @TempDir
  Path root;

  @Test
  void copiesNestedRowsAndRepairsOnlyMissingCopiesOfNonEmptyFiles() throws Exception {
    final DatasetDirectory dir = new DatasetDirectory(root);
    final SegmentName withRows = new SegmentName("r2e.trajectories", 0, 0, 1);
    final SegmentName empty = new SegmentName("r2e.trajectories", 0, 2, 3);
    Files.writeString(dir.finalFile(withRows), """
        {"messages":[{"role":"system","content":"s"},{"role":"user","content":"it's broken"},{"role":"assistant","content":"fix"}]}
        {"messages":[{"role":"system","content":"s"},{"role":"user","content":"u"}]}
        """);
    Files.writeString(dir.finalFile(empty), "");
    final Path leftover = root.resolve("r2e.trajectories").resolve(withRows.fileName().replace(".jsonl", ".parquet.tmp"));
    Files.writeString(leftover, "half a file");

    ParquetCopies.ensureFor(dir, dir.segments("r2e.trajectories", 0));

    final Path parquet = ParquetCopies.parquetOf(dir.finalFile(withRows));
    assertEquals("r2e.trajectories+0+00000000000000000000+00000000000000000001.parquet",
        parquet.getFileName().toString());
    assertEquals(List.of("3 it's broken", "2 u"), query("SELECT len(messages) || ' ' || messages[2].content FROM "
        + "read_parquet('" + parquet + "')"));
    assertTrue(Files.notExists(ParquetCopies.parquetOf(dir.finalFile(empty))), "no rows, no Parquet file");
    assertTrue(Files.notExists(leftover), "a half-written copy from a crash is removed");

    final long modified = Files.getLastModifiedTime(parquet).toMillis();
    ParquetCopies.ensureFor(dir, dir.segments("r2e.trajectories", 0));
    assertEquals(modified, Files.getLastModifiedTime(parquet).toMillis(), "an existing copy is kept");
  }

  static List<String> query(final String sql) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      final List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}

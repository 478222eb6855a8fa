package io.r2estream.connect.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Parquet copies of final JSONL files, written by DuckDB ({@code COPY (SELECT * FROM read_json(...)) TO ...
 * (FORMAT PARQUET)}, column types inferred from every row) to a temp name and renamed, so a {@code .parquet} file is
 * either complete or absent. A copy is a pure function of its JSONL file, so a crash between a roll and its copy is
 * repaired by copying again when the partition is next opened ({@link #ensureFor}).
 */
final class ParquetCopies {

  static final String EXTENSION = ".parquet";
  private static final String DRIVER = "org.duckdb.DuckDBDriver";

  private ParquetCopies() {
  }

  /** Fails at start-up, not at the first roll, when DuckDB is missing from the class path. */
  static void requireDriver() {
    try {
      Class.forName(DRIVER);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("dataset.parquet.enabled=true needs DuckDB (org.duckdb:duckdb_jdbc) on the "
          + "Connect worker's class path, and " + DRIVER + " is not there", e);
    }
  }

  static Path parquetOf(final Path jsonl) {
    final String name = jsonl.getFileName().toString();
    return jsonl.resolveSibling(name.substring(0, name.length() - SegmentName.EXTENSION.length()) + EXTENSION);
  }

  /** Writes the Parquet copy of a final file; an empty file (offsets without rows) gets none. */
  static void copy(final Path jsonl) {
    if (size(jsonl) == 0) {
      return;
    }
    final Path target = parquetOf(jsonl);
    final Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
      st.execute("COPY (SELECT * FROM read_json(" + literal(jsonl) + ", format = 'newline_delimited', "
          + "sample_size = -1)) TO " + literal(temp) + " (FORMAT PARQUET)");
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot copy " + jsonl + " to Parquet: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + temp + " to " + target, e);
    }
  }

  /** Copies every listed final file that has rows but no Parquet copy yet (the repair after a crash). */
  static void ensureFor(final DatasetDirectory dir, final Iterable<SegmentName> segments) {
    for (final SegmentName s : segments) {
      final Path jsonl = dir.finalFile(s);
      try {
        Files.deleteIfExists(parquetOf(jsonl).resolveSibling(parquetOf(jsonl).getFileName() + ".tmp"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (Files.notExists(parquetOf(jsonl))) {
        copy(jsonl);
      }
    }
  }

  private static long size(final Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String literal(final Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}

package io.r2estream.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.connect.dataset.SegmentName;
import io.r2estream.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The storage end of {@code r2e demo}: waits (bounded) until the PostgreSQL sink has upserted, and the dataset sink
 * has written to final JSONL files, the demo's tasks, trajectories and rankings, then says where they are. The sinks
 * run in the platform's Connect worker; this only reads what they wrote (SQL counts, final {@code *.jsonl} files).
 */
final class DemoSinks {

  /** Between two looks at the tables and files. */
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the demo expects to find stored.
   *
   * @param tasks      task ids (r2e.tasks, key instance_id)
   * @param rollouts   rollout ids of the demo's trajectories (r2e.trajectories, key rollout_id)
   * @param rankedTasks task ids that have a ranking (r2e.rankings, key task_id)
   */
  record Expected(Set<String> tasks, Set<String> rollouts, Set<String> rankedTasks) {
  }

  /**
   * What was found: rows of the demo's keys in the PostgreSQL tables, and in the final dataset files the tasks and
   * ranked tasks among the demo's ids and the trajectory rows (SFT conversations carry no id).
   */
  record Found(int tableTasks, int tableTrajectories, int tableRankings, int fileTasks, int fileTrajectories,
      int fileRankedTasks) {

    boolean covers(final Expected e) {
      return tableTasks == e.tasks().size() && tableTrajectories == e.rollouts().size()
          && tableRankings == e.rankedTasks().size() && fileTasks == e.tasks().size()
          && fileTrajectories >= e.rollouts().size() && fileRankedTasks == e.rankedTasks().size();
    }
  }

  private DemoSinks() {
  }

  /** Reads until {@link Found#covers} or {@code timeout}; returns the last look either way. */
  static Found await(final String jdbcUrl, final String user, final String password, final Path datasetDir,
      final Expected expected, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      final Found found = new Found(
          rows(jdbcUrl, user, password, "r2e.tasks", "instance_id", expected.tasks()),
          rows(jdbcUrl, user, password, "r2e.trajectories", "rollout_id", expected.rollouts()),
          rows(jdbcUrl, user, password, "r2e.rankings", "task_id", expected.rankedTasks()),
          idsInFiles(datasetDir, Topics.TASKS.name(), "instance_id", expected.tasks()),
          linesInFiles(datasetDir, Topics.TRAJECTORIES.name()),
          idsInFiles(datasetDir, Topics.RANKINGS.name(), "task_id", expected.rankedTasks()));
      if (found.covers(expected) || System.nanoTime() > deadline) {
        return found;
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** Rows of {@code table} whose {@code key} is one of {@code ids}; 0 while the sink has not created the table. */
  static int rows(final String jdbcUrl, final String user, final String password, final String table,
      final String key, final Set<String> ids) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement q = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE " + key + " = ANY(?)")) {
      final Array array = c.createArrayOf("text", ids.toArray());
      q.setArray(1, array);
      try (ResultSet r = q.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    } catch (SQLException e) {
      // 42P01: the table does not exist yet, the sink creates it with its first record.
      if ("42P01".equals(e.getSQLState())) {
        return 0;
      }
      throw new IllegalStateException("cannot count " + table + " at " + jdbcUrl + ": " + e.getMessage(), e);
    }
  }

  /** How many of {@code ids} occur as {@code field} in the topic's final JSONL files. */
  static int idsInFiles(final Path datasetDir, final String topic, final String field, final Set<String> ids) {
    final Set<String> seen = new HashSet<>();
    for (final String line : finalLines(datasetDir, topic)) {
      try {
        final JsonNode row = JSON.readTree(line);
        final JsonNode id = row == null ? null : row.get(field);
        if (id != null && ids.contains(id.asText())) {
          seen.add(id.asText());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("a row of " + topic + " under " + datasetDir + " is not JSON: " + line, e);
      }
    }
    return seen.size();
  }

  /** Rows in the topic's final JSONL files. */
  static int linesInFiles(final Path datasetDir, final String topic) {
    return finalLines(datasetDir, topic).size();
  }

  /** The non-blank lines of every final file of the topic ({@code *.jsonl}; temp files are still being written). */
  static List<String> finalLines(final Path datasetDir, final String topic) {
    final Path dir = datasetDir.resolve(topic);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> SegmentName.parse(f.getFileName().toString()).isPresent()).sorted()
          .flatMap(f -> {
            try {
              return Files.readAllLines(f, StandardCharsets.UTF_8).stream();
            } catch (IOException e) {
              // A file renamed or removed between listing and reading: the next look counts it.
              return Stream.empty();
            }
          }).filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** What is stored where, one line per store. */
  static void print(final Found f, final Expected e, final String jdbcUrl, final Path datasetDir,
      final PrintStream out) {
    out.printf("  %-12s %s%n", "postgresql", jdbcUrl);
    out.printf("  %-12s r2e.tasks %d of %d, r2e.trajectories %d of %d, r2e.rankings %d of %d rows%n", "",
        f.tableTasks(), e.tasks().size(), f.tableTrajectories(), e.rollouts().size(), f.tableRankings(),
        e.rankedTasks().size());
    out.printf("  %-12s %s%n", "dataset dir", datasetDir);
    out.printf("  %-12s tasks %d of %d, trajectories %d rows (%d rollouts), rankings of %d of %d tasks%n", "",
        f.fileTasks(), e.tasks().size(), f.fileTrajectories(), e.rollouts().size(), f.fileRankedTasks(),
        e.rankedTasks().size());
    if (!f.covers(e)) {
      out.println("  not everything reached storage in time (see the Connect worker's log and the sinks' "
          + "dead-letter topics)");
    }
  }
}

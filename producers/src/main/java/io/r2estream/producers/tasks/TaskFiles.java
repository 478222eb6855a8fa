package io.r2estream.producers.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.r2estream.avro.TaskInstance;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Reads and writes task datasets as JSON Lines: one row per line, blank lines skipped, UTF-8. */
public final class TaskFiles {

  /** A row that did not become a task. */
  public record RowError(int line, String message) {
    @Override
    public String toString() {
      return "line " + line + ": " + message;
    }
  }

  /** The tasks of a file, and the rows that failed (with their line numbers). */
  public record ReadResult(List<TaskInstance> tasks, List<RowError> errors) {
  }

  private TaskFiles() {
  }

  /** Parses every line; a bad line is reported and skipped, never fatal to the others. */
  public static ReadResult read(final Path file, final TaskRowFormat format, final ImportDefaults defaults) {
    final List<TaskInstance> tasks = new ArrayList<>();
    final List<RowError> errors = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          final JsonNode row = RowFields.JSON.readTree(line);
          tasks.add(format.fromRow(row, defaults));
        } catch (JsonProcessingException e) {
          errors.add(new RowError(lineNo, "not a JSON object: " + e.getOriginalMessage()));
        } catch (RowException e) {
          errors.add(new RowError(lineNo, e.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new ReadResult(tasks, errors);
  }

  /** Writes one row per task, in the given order. */
  public static void write(final Path file, final TaskRowFormat format, final Collection<TaskInstance> tasks) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (final TaskInstance t : tasks) {
        out.write(RowFields.write(format.toRow(t)));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}

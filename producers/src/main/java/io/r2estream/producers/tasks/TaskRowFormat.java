package io.r2estream.producers.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.avro.TaskInstance;
import java.util.Arrays;
import java.util.Locale;

/** The dataset formats tasks are imported from and exported to, one JSON object per line. */
public enum TaskRowFormat {

  /** R2E-Gym dataset rows ({@link R2eGymRows}). */
  R2EGYM("r2egym"),
  /** SWE-bench dataset rows ({@link SweBenchRows}). */
  SWEBENCH("swebench");

  private final String cliName;

  TaskRowFormat(final String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** The format named {@code r2egym} or {@code swebench} (case-insensitive). */
  public static TaskRowFormat parse(final String name) {
    return Arrays.stream(values()).filter(f -> f.cliName.equals(name.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown task format '" + name
            + "': use r2egym or swebench"));
  }

  public ObjectNode toRow(final TaskInstance task) {
    return this == R2EGYM ? R2eGymRows.toRow(task) : SweBenchRows.toRow(task);
  }

  /** The task of a row, checked by {@link TaskChecks}; throws {@link RowException} saying what is wrong. */
  public TaskInstance fromRow(final JsonNode row, final ImportDefaults defaults) {
    if (row == null || !row.isObject()) {
      throw new RowException("a row must be a JSON object");
    }
    return TaskChecks.require(this == R2EGYM ? R2eGymRows.fromRow(row, defaults) : SweBenchRows.fromRow(row, defaults));
  }
}

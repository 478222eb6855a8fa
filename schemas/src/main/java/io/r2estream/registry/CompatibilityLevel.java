package io.r2estream.registry;

import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Confluent's compatibility levels, decided with Avro's own {@link SchemaCompatibility} checker.
 * BACKWARD: the new schema reads data written with the previous one. FORWARD: the previous reads the new.
 * FULL: both. The _TRANSITIVE variants check against every earlier version, not just the latest.
 */
public enum CompatibilityLevel {
  NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

  /** Parses a level name case-insensitively; a clear error names the accepted values. */
  public static CompatibilityLevel parse(final String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown compatibility level '" + name + "', expected one of "
          + List.of(values()));
    }
  }

  /**
   * Messages explaining why {@code candidate} breaks this level against {@code previous} (oldest first);
   * empty when compatible.
   */
  public List<String> violations(final Schema candidate, final List<Schema> previous) {
    if (this == NONE || previous.isEmpty()) {
      return List.of();
    }
    final boolean transitive = name().endsWith("_TRANSITIVE");
    final List<Schema> against = transitive ? previous : List.of(previous.get(previous.size() - 1));
    final boolean backward = this != FORWARD && this != FORWARD_TRANSITIVE;
    final boolean forward = this != BACKWARD && this != BACKWARD_TRANSITIVE;
    return against.stream().flatMap(old -> {
      final java.util.stream.Stream.Builder<String> out = java.util.stream.Stream.builder();
      if (backward) {
        check(candidate, old, "new schema cannot read data written with an earlier one", out);
      }
      if (forward) {
        check(old, candidate, "an earlier schema cannot read data written with the new one", out);
      }
      return out.build();
    }).toList();
  }

  private static void check(final Schema reader, final Schema writer, final String what,
      final java.util.stream.Stream.Builder<String> out) {
    final SchemaCompatibility.SchemaPairCompatibility r =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (r.getType() != SchemaCompatibilityType.COMPATIBLE) {
      r.getResult().getIncompatibilities().forEach(i -> out.add(what + ": " + i.getType() + " at "
          + i.getLocation() + " (" + i.getMessage() + ")"));
    }
  }
}

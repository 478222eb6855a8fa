package io.r2estream.topics;

import io.r2estream.registry.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * Released schema versions, kept in the repository as self-contained files
 * {@code schemas/src/main/avro-released/<full name>/v<N>.avsc}. The build checks the current schemas against them
 * (SchemaCompatibilityTest); running {@link #main} releases every schema that changed as its next version.
 *
 * <p>Rule: BACKWARD_TRANSITIVE. Compacted topics keep old records forever, so today's readers must read every
 * released version, not only the last one.
 */
public final class SchemaReleases {

  public static final CompatibilityLevel RULE = CompatibilityLevel.BACKWARD_TRANSITIVE;

  private final Path dir;

  public SchemaReleases(final Path dir) {
    this.dir = dir;
  }

  /** The value schema of every catalogue topic, by full name. */
  public static Map<String, Schema> current() {
    final Map<String, Schema> m = new LinkedHashMap<>();
    Topics.all().forEach(t -> m.put(t.valueSchema().getFullName(), t.valueSchema()));
    return m;
  }

  /** Released versions of a schema, oldest first (empty if never released). */
  public List<Schema> released(final String fullName) {
    final Path d = dir.resolve(fullName);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(d)) {
      return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
          .sorted(Comparator.comparingInt(SchemaReleases::versionOf))
          .map(SchemaReleases::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Why the schema breaks the rule against its released versions; empty when it is fine. */
  public List<String> violations(final Schema schema) {
    return RULE.violations(schema, released(schema.getFullName()));
  }

  /** Writes the next version of each schema that differs from its latest release; returns what it wrote. */
  public List<Path> releaseChanged() throws IOException {
    final List<Path> written = new ArrayList<>();
    for (final Schema s : current().values()) {
      final List<Schema> old = released(s.getFullName());
      if (!old.isEmpty() && old.get(old.size() - 1).equals(s)) {
        continue;
      }
      final List<String> problems = violations(s);
      if (!problems.isEmpty()) {
        throw new IllegalStateException(s.getFullName() + " breaks " + RULE + ": " + problems);
      }
      final Path f = dir.resolve(s.getFullName()).resolve("v" + (old.size() + 1) + ".avsc");
      Files.createDirectories(f.getParent());
      Files.writeString(f, s.toString(true) + "\n", StandardCharsets.UTF_8);
      written.add(f);
    }
    return written;
  }

  private static int versionOf(final Path f) {
    final String n = f.getFileName().toString();
    return Integer.parseInt(n.substring(1, n.length() - ".avsc".length()));
  }

  private static Schema read(final Path f) {
    try {
      return new Schema.Parser().parse(Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Releases changed schemas: {@code ./mvnw -q -pl schemas exec:java -Dexec.mainClass=io.r2estream.topics.SchemaReleases}. */
  public static void main(final String[] args) throws IOException {
    final Path dir = Path.of(args.length > 0 ? args[0] : "src/main/avro-released");
    new SchemaReleases(dir).releaseChanged().forEach(p -> System.out.println("released " + p));
  }
}

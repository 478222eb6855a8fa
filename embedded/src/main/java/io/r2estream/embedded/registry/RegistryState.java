package io.r2estream.embedded.registry;

import io.r2estream.embedded.registry.RegistryRecord.SchemaVersion;
import io.r2estream.embedded.registry.RegistryRecord.SubjectConfig;
import io.r2estream.registry.CompatibilityLevel;
import io.r2estream.registry.SchemaRegistryException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

/**
 * The registry's state machine, free of Kafka and HTTP: it is rebuilt by {@link #apply applying} the records of the
 * schemas topic in order, answers queries, and plans the records a write must append. The store only appends what
 * is planned here, then waits for its reader to apply it, so the topic stays the single source of truth.
 */
final class RegistryState {

  static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

  private final Map<Integer, Schema> schemaById = new HashMap<>();
  private final Map<Integer, String> textById = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();
  private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
  private int maxId;

  /** What a registration needs: the id to answer, and the record to append when the version is new. */
  record Registration(int id, Optional<SchemaVersion> toAppend) {
  }

  synchronized void apply(final RegistryRecord record) {
    if (record instanceof SchemaVersion v) {
      subjects.computeIfAbsent(v.subject(), s -> new TreeMap<>()).put(v.version(), v);
      if (!schemaById.containsKey(v.id())) {
        final Schema schema = parse(v.schema());
        schemaById.put(v.id(), schema);
        textById.put(v.id(), v.schema());
        idBySchema.putIfAbsent(schema, v.id());
      }
      maxId = Math.max(maxId, v.id());
    } else if (record instanceof SubjectConfig c) {
      if (c.subject() == null) {
        globalLevel = c.compatibilityLevel();
      } else {
        levels.put(c.subject(), c.compatibilityLevel());
      }
    }
  }

  /** Plans registering a schema: the existing version if already live, else a compatible new one (409 if not). */
  synchronized Registration planRegister(final String subject, final Schema schema) {
    final Optional<SchemaVersion> existing = lookup(subject, schema);
    if (existing.isPresent()) {
      return new Registration(existing.get().id(), Optional.empty());
    }
    final List<String> problems = level(subject).violations(schema, liveSchemas(subject));
    if (!problems.isEmpty()) {
      throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier schema"
          + " for subject \"" + subject + "\", details: " + problems);
    }
    // Confluent gives an identical schema one id across subjects; ids and versions are never reused.
    final int id = idBySchema.getOrDefault(schema, maxId + 1);
    final TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
    final int version = versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    return new Registration(id, Optional.of(new SchemaVersion(subject, version, id, schema.toString(), false)));
  }

  /** Plans a soft delete of every live version of the subject (40401 if it has none). */
  synchronized List<SchemaVersion> planDeleteSubject(final String subject) {
    return live(subject).stream().map(SchemaVersion::asDeleted).toList();
  }

  /** Why the schema may not follow the given version ("latest" checks every live version the level asks for). */
  synchronized List<String> compatibilityProblems(final String subject, final Schema schema, final String version) {
    if (isLatest(version) && !subjects.containsKey(subject)) {
      return List.of();
    }
    final List<Schema> against = isLatest(version) ? liveSchemas(subject)
        : List.of(schemaById.get(version(subject, version).id()));
    return level(subject).violations(schema, against);
  }

  /** The live version of the subject holding exactly this schema (40401 / 40403 when there is none). */
  synchronized SchemaVersion lookupOrFail(final String subject, final Schema schema) {
    live(subject);
    return lookup(subject, schema).orElseThrow(() -> new SchemaRegistryException(404, 40403, "Schema not found"));
  }

  synchronized String schemaText(final int id) {
    final String text = textById.get(id);
    if (text == null) {
      throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
    }
    return text;
  }

  /** Live (subject, version) pairs that use the schema id. */
  synchronized List<SchemaVersion> usages(final int id) {
    schemaText(id);
    return subjects.values().stream().flatMap(v -> v.values().stream())
        .filter(v -> v.id() == id && !v.deleted()).toList();
  }

  /** Subjects with at least one live version, sorted. */
  synchronized List<String> subjects() {
    return subjects.entrySet().stream().filter(e -> e.getValue().values().stream().anyMatch(v -> !v.deleted()))
        .map(Map.Entry::getKey).toList();
  }

  /** Live versions of the subject, oldest first (40401 if none). */
  synchronized List<SchemaVersion> live(final String subject) {
    final List<SchemaVersion> live = subjects.getOrDefault(subject, new TreeMap<>()).values().stream()
        .filter(v -> !v.deleted()).toList();
    if (live.isEmpty()) {
      throw new SchemaRegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }
    return live;
  }

  /** A live version by number, or "latest" / -1. */
  synchronized SchemaVersion version(final String subject, final String version) {
    final List<SchemaVersion> live = live(subject);
    if (isLatest(version)) {
      return live.get(live.size() - 1);
    }
    final int wanted = parseVersion(version);
    return live.stream().filter(v -> v.version() == wanted).findFirst().orElseThrow(
        () -> new SchemaRegistryException(404, 40402, "Version " + version + " not found."));
  }

  synchronized CompatibilityLevel level(final String subject) {
    return subject == null ? globalLevel : levels.getOrDefault(subject, globalLevel);
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(final String subject) {
    return Optional.ofNullable(levels.get(subject));
  }

  /** Parses schema text, answering Confluent's 42201 when it is not a valid Avro schema. */
  static Schema parse(final String text) {
    try {
      return new Schema.Parser().parse(text);
    } catch (AvroRuntimeException | NullPointerException e) {
      throw new SchemaRegistryException(422, 42201, "Invalid schema: " + e.getMessage());
    }
  }

  private Optional<SchemaVersion> lookup(final String subject, final Schema schema) {
    final Integer id = idBySchema.get(schema);
    return id == null ? Optional.empty() : subjects.getOrDefault(subject, new TreeMap<>()).values().stream()
        .filter(v -> v.id() == id && !v.deleted()).findFirst();
  }

  private List<Schema> liveSchemas(final String subject) {
    return subjects.getOrDefault(subject, new TreeMap<>()).values().stream().filter(v -> !v.deleted())
        .map(v -> schemaById.get(v.id())).toList();
  }

  private static boolean isLatest(final String version) {
    return "latest".equals(version) || "-1".equals(version);
  }

  private static int parseVersion(final String version) {
    try {
      final int v = Integer.parseInt(version);
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // answered below like any other invalid version
    }
    throw new SchemaRegistryException(422, 42202, "The specified version '" + version + "' is not a valid version "
        + "id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
  }
}

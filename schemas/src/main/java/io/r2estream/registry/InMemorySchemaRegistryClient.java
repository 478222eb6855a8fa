package io.r2estream.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A registry held in memory, for topology tests ({@code mock://<scope>} URLs, like Confluent's mock client).
 * It applies the same compatibility rules as the real servers.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<Schema, Integer> idBySchema = new HashMap<>();
  private final Map<String, List<Integer>> subjectVersions = new HashMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

  /** The shared instance of a mock scope: every serde configured with {@code mock://scope} sees the same one. */
  public static InMemorySchemaRegistryClient scope(final String scope) {
    return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
  }

  /** Forgets a scope (tests call this in their teardown). */
  public static void dropScope(final String scope) {
    SCOPES.remove(scope);
  }

  @Override
  public synchronized int register(final String subject, final Schema schema) {
    final Optional<Integer> existing = idOf(subject, schema);
    if (existing.isPresent()) {
      return existing.get();
    }
    final List<String> problems = level(subject).violations(schema, history(subject));
    if (!problems.isEmpty()) {
      throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier "
          + "schema for subject \"" + subject + "\": " + problems);
    }
    final int id = idBySchema.computeIfAbsent(schema, s -> {
      final int next = byId.size() + 1;
      byId.put(next, s);
      return next;
    });
    subjectVersions.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  @Override
  public synchronized Schema getById(final int id) {
    final Schema s = byId.get(id);
    if (s == null) {
      throw new SchemaRegistryException(404, 40403, "Schema " + id + " not found");
    }
    return s;
  }

  @Override
  public synchronized Optional<Integer> idOf(final String subject, final Schema schema) {
    final Integer id = idBySchema.get(schema);
    return id != null && subjectVersions.getOrDefault(subject, List.of()).contains(id) ? Optional.of(id)
        : Optional.empty();
  }

  @Override
  public synchronized Optional<SubjectSchema> latest(final String subject) {
    final List<Integer> ids = subjectVersions.get(subject);
    return ids == null || ids.isEmpty() ? Optional.empty() : version(subject, ids.size());
  }

  @Override
  public synchronized Optional<SubjectSchema> version(final String subject, final int version) {
    final List<Integer> ids = subjectVersions.getOrDefault(subject, List.of());
    if (version < 1 || version > ids.size()) {
      return Optional.empty();
    }
    final int id = ids.get(version - 1);
    return Optional.of(new SubjectSchema(subject, version, id, byId.get(id)));
  }

  @Override
  public synchronized boolean isCompatible(final String subject, final Schema schema) {
    return level(subject).violations(schema, history(subject)).isEmpty();
  }

  @Override
  public synchronized List<String> subjects() {
    return subjectVersions.keySet().stream().sorted().toList();
  }

  @Override
  public synchronized List<Integer> versions(final String subject) {
    final int n = subjectVersions.getOrDefault(subject, List.of()).size();
    return java.util.stream.IntStream.rangeClosed(1, n).boxed().toList();
  }

  @Override
  public synchronized void setCompatibility(final String subject, final CompatibilityLevel level) {
    if (subject == null) {
      globalLevel = level;
    } else {
      levels.put(subject, level);
    }
  }

  /** Parses schema text the way the server would, with a registry-style error. */
  static Schema parse(final String text) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(422, 42201, "Invalid schema: " + e.getMessage());
    }
  }

  private CompatibilityLevel level(final String subject) {
    return levels.getOrDefault(subject, globalLevel);
  }

  private List<Schema> history(final String subject) {
    return subjectVersions.getOrDefault(subject, List.of()).stream().map(byId::get).toList();
  }
}

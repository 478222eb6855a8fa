package io.r2estream.embedded.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.registry.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * One record of the registry's compacted topic, in Confluent's {@code _schemas} layout: a JSON key naming what it
 * describes (a subject version, or the compatibility of a subject or of the whole registry) and a JSON value with
 * its latest state. Compaction keeps the last value per key, which is the whole registry.
 */
sealed interface RegistryRecord {

  ObjectMapper JSON = new ObjectMapper();

  /** Version {@code version} of {@code subject} is schema {@code id}; soft deletion rewrites it with deleted=true. */
  record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements RegistryRecord {
    SchemaVersion asDeleted() {
      return new SchemaVersion(subject, version, id, schema, true);
    }
  }

  /** Compatibility level of a subject, or of the registry when {@code subject} is null. */
  record SubjectConfig(String subject, CompatibilityLevel level) implements RegistryRecord {
  }

  /** The key; its fields are written in a fixed order because compaction compares key bytes. */
  default byte[] key() {
    final ObjectNode key = JSON.createObjectNode();
    if (this instanceof SchemaVersion v) {
      key.put("keytype", "SCHEMA").put("subject", v.subject()).put("version", v.version()).put("magic", 1);
    } else if (this instanceof SubjectConfig c) {
      key.put("keytype", "CONFIG").put("subject", c.subject()).put("magic", 0);
    }
    return bytes(key);
  }

  default byte[] value() {
    final ObjectNode value = JSON.createObjectNode();
    if (this instanceof SchemaVersion v) {
      value.put("subject", v.subject()).put("version", v.version()).put("id", v.id()).put("schema", v.schema())
          .put("deleted", v.deleted());
    } else if (this instanceof SubjectConfig c) {
      value.put("compatibilityLevel", c.level().name());
    }
    return bytes(value);
  }

  /** Reads a record; tombstones and key types we do not write (Confluent's NOOP, ...) are empty. */
  static Optional<RegistryRecord> decode(final byte[] key, final byte[] value) {
    if (key == null || value == null) {
      return Optional.empty();
    }
    try {
      final JsonNode k = JSON.readTree(key);
      final JsonNode v = JSON.readTree(value);
      return switch (k.path("keytype").asText()) {
        case "SCHEMA" -> Optional.of(new SchemaVersion(v.get("subject").asText(), v.get("version").asInt(),
            v.get("id").asInt(), v.get("schema").asText(), v.path("deleted").asBoolean(false)));
        case "CONFIG" -> Optional.of(new SubjectConfig(k.path("subject").isNull() ? null : k.path("subject").asText(),
            CompatibilityLevel.parse(v.get("compatibilityLevel").asText())));
        default -> Optional.empty();
      };
    } catch (IOException e) {
      throw new UncheckedIOException("registry record is not JSON: " + new String(key, java.nio.charset.StandardCharsets.UTF_8), e);
    }
  }

  private static byte[] bytes(final JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

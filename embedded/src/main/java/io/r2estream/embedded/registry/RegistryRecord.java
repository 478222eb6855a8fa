package io.r2estream.embedded.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.registry.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One record of the registry's compacted topic, in Confluent's {@code _schemas} layout: a JSON key naming what it
 * describes (a subject version, or the compatibility of a subject or of the whole registry) and a JSON value with
 * its latest state. Compaction keeps the last value per key, which is the whole registry.
 */
sealed interface RegistryRecord {

  ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The key; a record so that its fields are always written in one order, as compaction compares key bytes. */
  record Key(String keytype, String subject, Integer version, int magic) {
  }

  /** Version {@code version} of {@code subject} is schema {@code id}; soft deletion rewrites it with deleted=true. */
  record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements RegistryRecord {
    @Override
    public Key key() {
      return new Key("SCHEMA", subject, version, 1);
    }

    SchemaVersion asDeleted() {
      return new SchemaVersion(subject, version, id, schema, true);
    }
  }

  /** Compatibility level of a subject, or of the registry when {@code subject} is null. */
  record SubjectConfig(String subject, CompatibilityLevel compatibilityLevel) implements RegistryRecord {
    @Override
    public Key key() {
      return new Key("CONFIG", subject, null, 0);
    }
  }

  Key key();

  default byte[] keyBytes() {
    return bytes(key());
  }

  default byte[] valueBytes() {
    return bytes(this);
  }

  /** Reads a record; tombstones and key types we do not write (Confluent's NOOP, ...) are empty. */
  static Optional<RegistryRecord> decode(final byte[] key, final byte[] value) {
    if (key == null || value == null) {
      return Optional.empty();
    }
    try {
      return switch (JSON.readValue(key, Key.class).keytype()) {
        case "SCHEMA" -> Optional.of(JSON.readValue(value, SchemaVersion.class));
        case "CONFIG" -> Optional.of(JSON.readValue(value, SubjectConfig.class));
        default -> Optional.empty();
      };
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable registry record " + new String(key, StandardCharsets.UTF_8), e);
    }
  }

  private static byte[] bytes(final Object o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

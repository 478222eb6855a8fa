package io.r2estream.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that serdes and tools use. Implementations: {@link
 * InMemorySchemaRegistryClient} ({@code mock://} URLs, for topology tests) and {@code RestSchemaRegistryClient}
 * (Confluent Schema Registry, Redpanda, Karapace, Apicurio's ccompat API, or our embedded server).
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** A schema registered under a subject. */
  record SubjectSchema(String subject, int version, int id, Schema schema) {
  }

  /** Registers the schema under the subject (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id. */
  Schema getById(int id);

  /** The id of this exact schema under the subject, if registered. */
  Optional<Integer> idOf(String subject, Schema schema);

  /** The latest version of a subject, if any. */
  Optional<SubjectSchema> latest(String subject);

  /** One version of a subject. */
  Optional<SubjectSchema> version(String subject, int version);

  /** Whether the schema may be registered under the subject given its compatibility level. */
  boolean isCompatible(String subject, Schema schema);

  List<String> subjects();

  List<Integer> versions(String subject);

  /** Sets the compatibility level of a subject, or the global default when subject is null. */
  void setCompatibility(String subject, CompatibilityLevel level);

  @Override
  default void close() {
  }
}

package io.r2estream.serde;

import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format: magic byte 0, the 4-byte big-endian schema id, then the
 * Avro binary encoding. The subject is {@code <topic>-value} (or {@code -key}): Confluent's TopicNameStrategy.
 * The schema is registered on first use unless {@code auto.register.schemas=false}, in which case it must
 * already be registered.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  public static final String AUTO_REGISTER_CONFIG = "auto.register.schemas";
  static final byte MAGIC = 0;

  private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
  private SchemaRegistryClient registry;
  private boolean isKey;
  private boolean autoRegister = true;

  public AvroSerializer() {
  }

  /** A serializer bound to a client, for code that builds serdes itself. */
  public AvroSerializer(final SchemaRegistryClient registry, final boolean isKey, final boolean autoRegister) {
    this.registry = registry;
    this.isKey = isKey;
    this.autoRegister = autoRegister;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean key) {
    this.isKey = key;
    final Object url = configs.get(SchemaRegistryClients.URL_CONFIG);
    this.registry = SchemaRegistryClients.forUrl(url == null ? null : url.toString(), configs);
    final Object auto = configs.get(AUTO_REGISTER_CONFIG);
    this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
  }

  @Override
  public byte[] serialize(final String topic, final T data) {
    if (data == null) {
      return null; // tombstone
    }
    if (registry == null) {
      throw new SerializationException("AvroSerializer used before configure(): no schema registry");
    }
    final Schema schema = data.getSchema();
    final int id = ids.computeIfAbsent(schema, s -> schemaId(Subjects.of(topic, isKey), s));
    try {
      final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(MAGIC);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(data, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot serialize " + schema.getFullName() + " for topic " + topic
          + ": " + e.getMessage(), e);
    }
  }

  private int schemaId(final String subject, final Schema schema) {
    try {
      if (autoRegister) {
        return registry.register(subject, schema);
      }
      return registry.idOf(subject, schema).orElseThrow(() -> new SerializationException(
          "schema " + schema.getFullName() + " is not registered under subject " + subject
              + " and auto.register.schemas=false"));
    } catch (SerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SerializationException("schema registry refused " + schema.getFullName() + " under "
          + subject + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    // The client may be shared (mock scopes, factories); its owner closes it.
  }
}

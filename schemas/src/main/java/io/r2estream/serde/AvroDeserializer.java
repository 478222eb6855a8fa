package io.r2estream.serde;

import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClients;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro into a generated class. The writer's schema comes from the registry by
 * the id in the record; Avro's schema resolution maps it onto the reader class's schema, so records written
 * with an older (BACKWARD-compatible) schema still decode.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final Class<T> type;
  private final Schema readerSchema;
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
  private SchemaRegistryClient registry;

  public AvroDeserializer(final Class<T> type) {
    this.type = type;
    this.readerSchema = schemaOf(type);
  }

  public AvroDeserializer(final Class<T> type, final SchemaRegistryClient registry) {
    this(type);
    this.registry = registry;
  }

  @Override
  public void configure(final Map<String, ?> configs, final boolean isKey) {
    final Object url = configs.get(SchemaRegistryClients.URL_CONFIG);
    this.registry = SchemaRegistryClients.forUrl(url == null ? null : url.toString(), configs);
  }

  @Override
  public T deserialize(final String topic, final byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < 5) {
      throw new SerializationException("record on " + topic + " is " + data.length
          + " bytes: too short for the Confluent wire format (magic byte + 4-byte schema id)");
    }
    final ByteBuffer buf = ByteBuffer.wrap(data);
    final byte magic = buf.get();
    if (magic != AvroSerializer.MAGIC) {
      throw new SerializationException("record on " + topic + " starts with byte " + magic
          + ", not the Confluent magic byte 0: not written by an Avro schema-registry serializer");
    }
    final int id = buf.getInt();
    try {
      final SpecificDatumReader<T> reader = readers.computeIfAbsent(id, this::readerFor);
      final BinaryDecoder dec = DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null);
      return reader.read(null, dec);
    } catch (SerializationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode " + type.getSimpleName() + " (schema id " + id
          + ") on " + topic + ": " + e, e);
    }
  }

  private SpecificDatumReader<T> readerFor(final int id) {
    if (registry == null) {
      throw new SerializationException("AvroDeserializer used before configure(): no schema registry");
    }
    final Schema writer;
    try {
      writer = registry.getById(id);
    } catch (RuntimeException e) {
      throw new SerializationException("schema id " + id + " is unknown to the registry: " + e.getMessage(), e);
    }
    return new SpecificDatumReader<>(writer, readerSchema);
  }

  static <T> Schema schemaOf(final Class<T> type) {
    try {
      return (Schema) type.getField("SCHEMA$").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("not a generated Avro class: " + type, e);
    }
  }
}

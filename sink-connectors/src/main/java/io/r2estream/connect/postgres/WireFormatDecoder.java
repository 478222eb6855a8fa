package io.r2estream.connect.postgres;

import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Decodes Confluent-wire-format values (magic byte 0, 4-byte schema id, Avro binary) into generic records with their
 * writer schema, so that every field the producer wrote, new ones included, reaches the table.
 */
final class WireFormatDecoder {

  /** A decoded value and the registry id of the schema it was written with. */
  record Decoded(int schemaId, Schema schema, GenericRecord value) {
  }

  /** The value is not what the sink can read: it belongs on the dead-letter topic. */
  static final class UndecodableValueException extends RuntimeException {
    UndecodableValueException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }

  private final SchemaRegistryClient registry;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();

  WireFormatDecoder(final SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /**
   * @throws UndecodableValueException when the bytes are not a wire-format Avro record the registry knows
   * @throws RetriableException         when the registry cannot be reached (the record is fine: try again later)
   */
  Decoded decode(final String topic, final byte[] data) {
    if (data.length < 5) {
      throw new UndecodableValueException("value on " + topic + " is " + data.length
          + " bytes: too short for the Confluent wire format (magic byte + 4-byte schema id)", null);
    }
    final ByteBuffer buf = ByteBuffer.wrap(data);
    final byte magic = buf.get();
    if (magic != 0) {
      throw new UndecodableValueException("value on " + topic + " starts with byte " + magic
          + ", not the Confluent magic byte 0", null);
    }
    final int id = buf.getInt();
    final GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(id, this::readerFor);
    try {
      final GenericRecord value = reader.read(null,
          DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
      return new Decoded(id, reader.getSchema(), value);
    } catch (IOException | RuntimeException e) {
      throw new UndecodableValueException("value on " + topic + " does not decode with schema id " + id + " ("
          + reader.getSchema().getFullName() + "): " + e, e);
    }
  }

  private GenericDatumReader<GenericRecord> readerFor(final int id) {
    final Schema writer;
    try {
      writer = registry.getById(id);
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() >= 400 && e.httpStatus() < 500) {
        throw new UndecodableValueException("schema id " + id + " is unknown to the registry: " + e.getMessage(), e);
      }
      throw new RetriableException("schema registry unavailable while looking up schema id " + id + ": "
          + e.getMessage(), e);
    }
    if (writer.getType() != Schema.Type.RECORD) {
      throw new UndecodableValueException("schema id " + id + " is a " + writer.getType()
          + ", not a record: it cannot be stored as a row", null);
    }
    return new GenericDatumReader<>(writer);
  }
}

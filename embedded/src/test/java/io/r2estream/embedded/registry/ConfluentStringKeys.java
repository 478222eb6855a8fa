package io.r2estream.embedded.registry;

import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.serde.Subjects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * String keys in the Confluent wire format with the Avro schema "string" under {@code <topic>-key}, as Confluent's
 * KafkaAvroSerializer writes primitives. Confluent's AvroConsumer decodes keys as Avro too, so the acceptance
 * test needs them; our platform keys are plain strings and our serde handles records only.
 */
final class ConfluentStringKeys {

  static final Schema STRING = Schema.create(Schema.Type.STRING);

  private ConfluentStringKeys() {
  }

  static byte[] serialize(final SchemaRegistryClient registry, final String topic, final String key) {
    final int id = registry.register(Subjects.of(topic, true), STRING);
    try {
      final ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(0);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      enc.writeString(key);
      enc.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String deserialize(final SchemaRegistryClient registry, final byte[] data) {
    final ByteBuffer buf = ByteBuffer.wrap(data);
    if (buf.get() != 0) {
      throw new IllegalArgumentException("key does not start with the Confluent magic byte 0");
    }
    final Schema writer = registry.getById(buf.getInt());
    if (!writer.equals(STRING)) {
      throw new IllegalArgumentException("key was written with schema " + writer + ", not \"string\"");
    }
    try {
      return DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null).readString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

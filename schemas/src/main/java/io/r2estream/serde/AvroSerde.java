package io.r2estream.serde;

import io.r2estream.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serde of a generated Avro class in the Confluent wire format, for Kafka Streams and clients. */
public final class AvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

  /** Configured later through {@link #configure(Map, boolean)} with {@code schema.registry.url}. */
  public AvroSerde(final Class<T> type) {
    super(new AvroSerializer<>(), new AvroDeserializer<>(type));
  }

  /** Bound to a client now; {@code configure} is then not needed. */
  public AvroSerde(final Class<T> type, final SchemaRegistryClient registry, final boolean isKey) {
    super(new AvroSerializer<>(registry, isKey, true), new AvroDeserializer<>(type, registry));
  }
}

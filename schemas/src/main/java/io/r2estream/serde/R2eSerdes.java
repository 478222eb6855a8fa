package io.r2estream.serde;

import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.topics.TopicSpec;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/** Builds the value serde of a catalogue topic from a registry URL (REST or {@code mock://}). */
public final class R2eSerdes {

  private R2eSerdes() {
  }

  public static <V extends SpecificRecord> Serde<V> valueSerde(final TopicSpec<V> spec, final String registryUrl) {
    final AvroSerde<V> serde = new AvroSerde<>(spec.valueType());
    serde.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    return serde;
  }
}

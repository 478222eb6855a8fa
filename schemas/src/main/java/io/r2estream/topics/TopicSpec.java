package io.r2estream.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the catalogue: its name, what its key is, the Avro type of its values, and how it is stored.
 * Keys are UTF-8 strings everywhere (see {@link TaskIds}); values use the Confluent wire format.
 *
 * @param name       topic name
 * @param key        what the key holds, for humans (README topics table)
 * @param valueType  generated Avro class of the values
 * @param partitions default partition count; topics joined together share it (co-partitioning)
 * @param compacted  compacted topics keep the latest value per key (tasks, rankings)
 * @param retention  how long records are kept; null = forever
 * @param doc        one line on what flows through the topic
 */
public record TopicSpec<V extends SpecificRecord>(
    String name, String key, Class<V> valueType, int partitions, boolean compacted, Duration retention, String doc) {

  /** Commit events and envs can exceed the 1 MiB default: the producer caps them below this. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1 for " + name);
    }
  }

  /** The Avro schema of the values, read from the generated class. */
  public Schema valueSchema() {
    try {
      return (Schema) valueType.getField("SCHEMA$").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("not a generated Avro class: " + valueType, e);
    }
  }

  /** The dead-letter topic that receives this topic's unprocessable records. */
  public String dlqName() {
    return name + ".dlq";
  }

  /** Topic-level configs Kafka applies when the topic is created. */
  public Map<String, String> configs() {
    final Map<String, String> c = new HashMap<>();
    c.put(TopicConfig.CLEANUP_POLICY_CONFIG,
        compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
    c.put(TopicConfig.RETENTION_MS_CONFIG, retention == null ? "-1" : Long.toString(retention.toMillis()));
    c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
    c.put(TopicConfig.COMPRESSION_TYPE_CONFIG, "producer");
    return c;
  }

  /** The topic as Kafka's Admin client wants it. */
  public NewTopic newTopic(final short replicationFactor) {
    return new NewTopic(name, partitions, replicationFactor).configs(configs());
  }
}

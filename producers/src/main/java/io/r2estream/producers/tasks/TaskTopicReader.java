package io.r2estream.producers.tasks;

import io.r2estream.avro.TaskInstance;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.topics.Topics;
import java.time.Duration;
import java.util.function.Function;
import io.r2estream.topics.TopicSpec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The current tasks: {@link Topics#TASKS} read from the beginning to its end offsets as they are when the read
 * starts, keeping the latest value per key and dropping keys whose latest record is a tombstone. A plain consumer
 * without a group (all partitions assigned), committed records only.
 */
public final class TaskTopicReader {

  /** Reading more than this means the topic is far larger than a task catalogue should be, or Kafka is stuck. */
  public static final Duration MAX_READ = Duration.ofMinutes(5);

  private TaskTopicReader() {
  }

  /** Instance id → task, sorted by id. */
  public static SortedMap<String, TaskInstance> readAll(final String bootstrapServers, final String registryUrl) {
    return latest(bootstrapServers, registryUrl, Topics.TASKS, ConsumerRecord::key);
  }

  /** As {@link #readAll(String, String)} with full Kafka client properties (bootstrap servers, security). */
  public static SortedMap<String, TaskInstance> readAll(final Map<String, Object> kafkaClient,
      final String registryUrl) {
    return latest(kafkaClient, registryUrl, Topics.TASKS, ConsumerRecord::key);
  }

  /**
   * Any topic read the same way: the latest value per id ({@code idOf} of each record: its key, or an id inside the
   * value for topics keyed by task whose records are per rollout), tombstones removing their key.
   */
  public static <T extends SpecificRecord> SortedMap<String, T> latest(final String bootstrapServers,
      final String registryUrl, final TopicSpec<T> topic, final Function<ConsumerRecord<String, T>, String> idOf) {
    return latest(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), registryUrl, topic, idOf);
  }

  /** As {@link #latest(String, String, TopicSpec, Function)} with full Kafka client properties. */
  public static <T extends SpecificRecord> SortedMap<String, T> latest(final Map<String, Object> kafkaClient,
      final String registryUrl, final TopicSpec<T> topic, final Function<ConsumerRecord<String, T>, String> idOf) {
    final AvroDeserializer<T> values = new AvroDeserializer<>(topic.valueType());
    values.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    final SortedMap<String, T> latest = new TreeMap<>();
    final Map<String, Object> c = new java.util.HashMap<>(kafkaClient);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(c, new StringDeserializer(), values)) {
      final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + MAX_READ.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic.name() + " took more than " + MAX_READ);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.value() == null) {
            latest.remove(r.key());
          } else {
            latest.put(idOf.apply(r), r.value());
          }
        });
      }
    }
    return latest;
  }
}

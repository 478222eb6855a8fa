package io.r2estream.producers.tasks;

import io.r2estream.avro.TaskInstance;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.topics.Topics;
import java.time.Duration;
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
    final AvroDeserializer<TaskInstance> values = new AvroDeserializer<>(TaskInstance.class);
    values.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    final SortedMap<String, TaskInstance> tasks = new TreeMap<>();
    try (KafkaConsumer<String, TaskInstance> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), values)) {
      final List<TopicPartition> partitions = consumer.partitionsFor(Topics.TASKS.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + MAX_READ.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + Topics.TASKS.name() + " took more than " + MAX_READ);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.value() == null) {
            tasks.remove(r.key());
          } else {
            tasks.put(r.key(), r.value());
          }
        });
      }
    }
    return tasks;
  }
}

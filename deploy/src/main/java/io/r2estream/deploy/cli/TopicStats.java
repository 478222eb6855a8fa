package io.r2estream.deploy.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Record counts of topics; fails fast with one clear line when Kafka is not there. */
final class TopicStats implements AutoCloseable {

  private final Admin admin;
  private final Map<String, Object> kafkaClient;

  private TopicStats(final Admin admin, final Map<String, Object> kafkaClient) {
    this.admin = admin;
    this.kafkaClient = kafkaClient;
  }

  /** @param kafkaClient Kafka client properties (bootstrap servers, security): {@code PlatformConfig.kafkaClient} */
  static TopicStats connect(final Map<String, Object> kafkaClient) {
    final Object bootstrapServers = kafkaClient.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    final Map<String, Object> a = new HashMap<>(kafkaClient);
    a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
    final Admin admin = Admin.create(a);
    try {
      admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      admin.close();
      throw new IllegalStateException("no Kafka answers at " + bootstrapServers
          + ": start the platform with `./r2e up`, or set r2e.kafka.bootstrap-servers");
    }
    return new TopicStats(admin, Map.copyOf(kafkaClient));
  }

  /**
   * Topic name to its number of committed records; topics that do not exist are absent. Counted by reading, not from
   * offsets: exactly-once writers leave transaction markers (and aborted records) that take offsets too.
   */
  Map<String, Long> recordCounts(final Collection<String> topics) {
    try {
      final Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      final List<String> present = topics.stream().filter(existing::contains).toList();
      final Map<String, TopicDescription> desc = admin.describeTopics(present).allTopicNames().get(10, TimeUnit.SECONDS);
      final List<TopicPartition> partitions = desc.values().stream()
          .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList();
      final Map<String, Long> counts = new HashMap<>();
      present.forEach(t -> counts.put(t, 0L));
      final Map<String, Object> c = new HashMap<>(kafkaClient);
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
          new ByteArrayDeserializer())) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // last stable offsets
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("counting records took more than 5 minutes");
          }
          consumer.poll(Duration.ofMillis(200)).forEach(r -> counts.merge(r.topic(), 1L, Long::sum));
        }
      }
      return counts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}

package io.r2estream.producers.commits;

import io.r2estream.avro.CommitEvent;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the commits topic from the beginning in tests, polling with a deadline. */
public final class TopicReader {

  private TopicReader() {
  }

  /** Every record of the commits topic, once at least {@code expected} have arrived (or fails after 30 s). */
  public static List<ConsumerRecord<String, CommitEvent>> readCommits(final String bootstrap,
      final String registryUrl, final int expected) {
    return readCommits(bootstrap, registryUrl, expected, r -> true);
  }

  /** The records of the commits topic that {@code keep} accepts, once at least {@code expected} have arrived. */
  public static List<ConsumerRecord<String, CommitEvent>> readCommits(final String bootstrap,
      final String registryUrl, final int expected, final Predicate<ConsumerRecord<String, CommitEvent>> keep) {
    final AvroDeserializer<CommitEvent> values = new AvroDeserializer<>(CommitEvent.class);
    values.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    final Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<ConsumerRecord<String, CommitEvent>> seen = new ArrayList<>();
    try (KafkaConsumer<String, CommitEvent> consumer = new KafkaConsumer<>(c, new StringDeserializer(), values)) {
      consumer.subscribe(List.of(Topics.COMMITS.name()));
      final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seen.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (keep.test(r)) {
            seen.add(r);
          }
        });
      }
      // One more short poll so that unexpected extra records are seen too.
      consumer.poll(Duration.ofMillis(500)).forEach(r -> {
        if (keep.test(r)) {
          seen.add(r);
        }
      });
    }
    return seen;
  }
}

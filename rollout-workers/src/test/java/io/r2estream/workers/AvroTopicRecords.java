package io.r2estream.workers;

import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * Avro records in and out of catalogue topics for worker tests: values in the registry's wire format, reads that see
 * committed records only. The broker address is a supplier because the test's broker extension starts after the
 * field is set: {@code new AvroTopicRecords(KAFKA::bootstrapServers, REGISTRY)}.
 */
public final class AvroTopicRecords {

  private final Supplier<String> bootstrapServers;
  private final String registry;

  public AvroTopicRecords(final Supplier<String> bootstrapServers, final String registry) {
    this.bootstrapServers = bootstrapServers;
    this.registry = registry;
  }

  /** Sends one record; closing the producer flushes it. */
  public <T extends SpecificRecord> void send(final TopicSpec<T> topic, final String key, final T value) {
    final Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get());
    try (KafkaProducer<String, T> producer = new KafkaProducer<>(p, new StringSerializer(),
        R2eSerdes.valueSerde(topic, registry).serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value));
    }
  }

  /** Everything committed on a topic now (read_committed), from the beginning. */
  public <T extends SpecificRecord> List<T> read(final TopicSpec<T> topic) {
    final Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get(),
        ConsumerConfig.GROUP_ID_CONFIG, "read-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<T> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic.name()));
      final long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      while (System.nanoTime() < end) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(R2eSerdes.valueSerde(topic, registry).deserializer().deserialize(r.topic(), r.value()));
        }
      }
    }
    return out;
  }

  /**
   * Reads a topic from the beginning, committed records with keys under {@code keyPrefix + "/"} only (a test run's
   * own), until {@code done} holds of them or {@code deadline} passes.
   */
  public <V extends SpecificRecord> Map<String, List<V>> readUntil(final TopicSpec<V> topic, final String keyPrefix,
      final Duration deadline, final Predicate<Map<String, List<V>>> done) {
    final Deserializer<V> values = R2eSerdes.valueSerde(topic, registry).deserializer();
    final Map<String, List<V>> seen = new ConcurrentHashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.get(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> parts = c.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Awaitility.await().atMost(deadline).until(() -> {
        c.poll(Duration.ofMillis(200)).forEach(r -> {
          final String key = new String(r.key(), StandardCharsets.UTF_8);
          if (key.startsWith(keyPrefix + "/")) {
            seen.computeIfAbsent(key, k -> new ArrayList<>()).add(values.deserialize(r.topic(), r.value()));
          }
        });
        return done.test(seen);
      });
    }
    return new LinkedHashMap<>(seen);
  }
}

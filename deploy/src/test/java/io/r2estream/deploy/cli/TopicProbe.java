package io.r2estream.deploy.cli;

import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the pipeline really wrote: every record of some topics from the beginning, committed ones only, counted
 * per key (compacted topics keep duplicates in their active segment, so a double decision shows up here), and
 * whether a consumer group has consumed a topic to its end.
 */
final class TopicProbe {

  /** The env-generation outputs: every commit gets exactly one record on exactly one of them. */
  static final List<String> DECISION_TOPICS = List.of(Topics.ENV_CANDIDATES.name(), Topics.COMMITS_REJECTED.name(),
      Topics.dlqOf(Topics.COMMITS).name());
  /** Consumer group of the env-generation topology as the platform runs it with the default application id. */
  static final String ENV_GENERATION_GROUP = "r2e-env-generation";
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private TopicProbe() {
  }

  /** Key → number of committed records with that key across {@code topics}, from the beginning to the current end. */
  static Map<String, Integer> countPerKey(final String bootstrapServers, final Collection<String> topics) {
    final Map<String, Integer> counts = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      final List<TopicPartition> partitions = new ArrayList<>();
      topics.forEach(t -> consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition()))));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // read_committed end offsets are the last stable offsets: everything committed so far, nothing in flight.
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      final long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topics + " to " + end + " within " + READ_TIMEOUT);
        }
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            counts.merge(r.key() == null ? "<null>" : new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  /** Keys that occur more than once, with their counts (empty when every key is unique). */
  static Map<String, Integer> duplicates(final Map<String, Integer> counts) {
    return counts.entrySet().stream().filter(e -> e.getValue() != 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }

  /** Whether {@code group} has committed offsets at the end of every partition of {@code topic}. */
  static boolean consumedToEnd(final String bootstrapServers, final String group, final String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      final Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      final var ends = admin.listOffsets(latest).all().get();
      return ends.entrySet().stream().allMatch(e -> {
        final OffsetAndMetadata c = committed.get(e.getKey());
        return (c == null ? 0L : c.offset()) >= e.getValue().offset();
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading offsets of " + group, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cannot read offsets of group " + group + " on " + topic, e.getCause());
    }
  }
}

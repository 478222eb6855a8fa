package io.r2estream.rollout;

import io.r2estream.avro.Trajectory;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Finds a recorded trajectory on the trajectories topic by reading it to its current end, committed records only.
 * Trajectories are keyed by task, so only records with the task's key are decoded; replays are rare next to
 * rollouts, which is why this reads on demand instead of holding every trajectory in memory like the
 * {@link TaskCatalog} holds tasks.
 */
public final class TrajectoryTopicLookup implements RecordedTrajectories {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration READ_LIMIT = Duration.ofMinutes(2);
  private final Map<String, Object> consumerConfig;
  private final Deserializer<Trajectory> deserializer;

  public TrajectoryTopicLookup(final Map<String, Object> kafka, final String registryUrl) {
    final Map<String, Object> c = new HashMap<>(kafka);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumerConfig = c;
    this.deserializer = R2eSerdes.valueSerde(Topics.TRAJECTORIES, registryUrl).deserializer();
  }

  @Override
  public Optional<Trajectory> find(final String taskId, final String rolloutId) {
    Trajectory found = null;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      final List<TopicPartition> parts = consumer.partitionsFor(Topics.TRAJECTORIES.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      final Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      final long deadline = System.nanoTime() + READ_LIMIT.toNanos();
      while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + Topics.TRAJECTORIES.name() + " to its end within "
              + READ_LIMIT.toSeconds() + " s while looking for trajectory " + rolloutId);
        }
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          if (taskId.equals(r.key()) && r.value() != null) {
            final Trajectory t = deserializer.deserialize(r.topic(), r.value());
            if (rolloutId.equals(t.getRolloutId())) {
              found = t;
            }
          }
        }
      }
    }
    return Optional.ofNullable(found);
  }
}

package io.r2estream.producers.rollouts;

import io.r2estream.avro.RolloutRequest;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes rollout requests to {@link Topics#ROLLOUT_REQUESTS}, keyed by rollout id and dealt round-robin over the
 * partitions from a random first one. Requests are independent work items and a worker runs one request per
 * partition at a time (its exactly-once commits advance a partition's offset in order), so where a key hash would
 * put several of a batch on one partition by chance — 32 requests hashed over 64 partitions land on about 25 —
 * dealing them out lets a batch of up to as many requests as partitions run side by side. The random start spreads
 * the batches of concurrent publishers.
 *
 * <p>A batch smaller than the partition count is spread evenly over the whole partition space (6 requests on 64
 * partitions go 10 or 11 apart), not onto consecutive partitions: the group's assignors give each member a block of
 * neighbouring partitions, so consecutive ones would hand a small batch to one member while the others idle
 * (measured by bench/scale-out.sh: 2 members were no faster than 1 until this).
 */
public final class RolloutRequestPublisher {

  private RolloutRequestPublisher() {
  }

  /** Publishes {@code requests} and waits until the broker has them all (idempotent, acks=all). */
  public static void publish(final String bootstrapServers, final String registryUrl,
      final List<RolloutRequest> requests) {
    publish(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), registryUrl, requests);
  }

  /** As {@link #publish(String, String, List)} with full Kafka client properties (bootstrap servers, security). */
  public static void publish(final Map<String, Object> kafkaClient, final String registryUrl,
      final List<RolloutRequest> requests) {
    final Map<String, Object> p = new java.util.HashMap<>(kafkaClient);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, RolloutRequest> producer = new KafkaProducer<>(p, new StringSerializer(),
        R2eSerdes.valueSerde(Topics.ROLLOUT_REQUESTS, registryUrl).serializer())) {
      final int partitions = producer.partitionsFor(Topics.ROLLOUT_REQUESTS.name()).size();
      final int first = ThreadLocalRandom.current().nextInt(partitions);
      for (int i = 0; i < requests.size(); i++) {
        final RolloutRequest r = requests.get(i);
        producer.send(new ProducerRecord<>(Topics.ROLLOUT_REQUESTS.name(),
            partition(first, i, requests.size(), partitions),
            r.getRolloutId(), r));
      }
      producer.flush();
    }
  }

  /**
   * The partition of the {@code i}-th request of a batch of {@code batch} dealt from {@code first} over
   * {@code partitions}: evenly spaced when the batch is smaller than the partition count, round-robin otherwise.
   */
  static int partition(final int first, final int i, final int batch, final int partitions) {
    final long offset = batch < partitions ? (long) i * partitions / batch : i;
    return (int) ((first + offset) % partitions);
  }
}

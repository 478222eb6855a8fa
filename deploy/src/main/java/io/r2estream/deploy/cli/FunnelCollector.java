package io.r2estream.deploy.cli;

import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the env-generation outputs (candidates, rejections, dead letters) until every expected commit has a decision
 * or the deadline passes. Reads committed records only: the topology writes with exactly-once transactions.
 */
final class FunnelCollector {

  private FunnelCollector() {
  }

  static Funnel collect(final Map<String, Object> kafkaClient, final String registryUrl,
      final Set<String> expectedKeys, final Duration timeout, final java.util.function.IntConsumer progress) {
    final Map<String, Object> cfg = FollowerConsumers.config(kafkaClient, "r2e-funnel-");
    final Map<String, Object> serdeCfg = Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl);
    final AvroDeserializer<EnvCandidate> candidates = new AvroDeserializer<>(EnvCandidate.class);
    final AvroDeserializer<CommitRejection> rejections = new AvroDeserializer<>(CommitRejection.class);
    final AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(DeadLetter.class);
    candidates.configure(serdeCfg, false);
    rejections.configure(serdeCfg, false);
    letters.configure(serdeCfg, false);

    final String dlq = Topics.dlqOf(Topics.COMMITS).name();
    // Latest decision per key wins, as in the compacted topics.
    final Map<String, EnvCandidate> cand = new LinkedHashMap<>();
    final Map<String, CommitRejection> rej = new LinkedHashMap<>();
    final Map<String, DeadLetter> dead = new LinkedHashMap<>();
    final Set<String> decided = new HashSet<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
             new KafkaConsumer<>(cfg, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.ENV_CANDIDATES.name(), Topics.COMMITS_REJECTED.name(), dlq));
      final long deadline = System.nanoTime() + timeout.toNanos();
      while (!decided.containsAll(expectedKeys) && System.nanoTime() < deadline) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          final String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (!expectedKeys.contains(key)) {
            continue;
          }
          cand.remove(key);
          rej.remove(key);
          dead.remove(key);
          if (r.topic().equals(Topics.ENV_CANDIDATES.name())) {
            cand.put(key, candidates.deserialize(r.topic(), r.value()));
          } else if (r.topic().equals(Topics.COMMITS_REJECTED.name())) {
            rej.put(key, rejections.deserialize(r.topic(), r.value()));
          } else {
            dead.put(key, letters.deserialize(r.topic(), r.value()));
          }
          decided.add(key);
        }
        progress.accept(decided.size());
      }
    }
    final List<String> undecided = new ArrayList<>(expectedKeys);
    undecided.removeAll(decided);
    return new Funnel(List.copyOf(cand.values()), List.copyOf(rej.values()), List.copyOf(dead.values()),
        List.copyOf(undecided));
  }
}

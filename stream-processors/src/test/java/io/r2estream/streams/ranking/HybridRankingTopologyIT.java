package io.r2estream.streams.ranking;

import static io.r2estream.streams.ranking.RankingFixtures.candidate;
import static io.r2estream.streams.ranking.RankingFixtures.judge;
import static io.r2estream.streams.ranking.RankingFixtures.test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.avro.TestScore;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ranking application under exactly_once_v2 on a real broker, stopped after half of the scores (a quarter more arrives while it is down) and
 * started again: the final rankings (read_committed) are exactly those computed from the inputs by the pure
 * functions, and no ranking ever lists a candidate twice or counts more candidates than the task has.
 */
class HybridRankingTopologyIT {

  private static final String SCOPE = "ranking-it-" + UUID.randomUUID();
  private static final String REGISTRY = "mock://" + SCOPE;
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final int TASKS = 24;
  private static final List<String> SAMPLES = List.of("s0", "s1", "s2", "s3", "s4", "s5");

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir
  Path dir;

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(SCOPE);
  }

  private static String task(final int t) {
    return "acme/widgets@" + String.format("%06x", t);
  }

  @Test
  void aRestartInTheMiddleOfTheScoresEndsWithTheSameRankingsAndNoCandidateTwice() throws Exception {
    // Scores are a function of (task, sample); a third of the judge scores are sent twice (the second time as a
    // late re-score with a different P(YES)), which the expected rankings take as the latest.
    final List<ProducerRecord<String, ? extends SpecificRecord>> scores = new ArrayList<>();
    final Map<String, RankingState.TaskCandidates> expected = new HashMap<>();
    final List<ProducerRecord<String, CandidatePatch>> candidates = new ArrayList<>();
    long at = 0;
    for (int t = 0; t < TASKS; t++) {
      final String task = task(t);
      RankingState.TaskCandidates set = RankingState.TaskCandidates.empty();
      for (int s = 0; s < SAMPLES.size(); s++) {
        final String name = SAMPLES.get(s);
        final CandidatePatch c = candidate(task, name, (t + s) % 4 == 0 ? 1.0 : 0.0, ++at);
        final TestScore ts = test(task, name, (t * 7 + s * 3) % 5, (t + s) % 3, ++at);
        JudgeScore js = judge(task, name, ((t * 13 + s * 29) % 100) / 100.0, ++at);
        candidates.add(new ProducerRecord<>(Topics.CANDIDATES.name(), task, c));
        scores.add(new ProducerRecord<>(Topics.SCORES_TEST.name(), task, ts));
        scores.add(new ProducerRecord<>(Topics.SCORES_JUDGE.name(), task, js));
        if ((t + s) % 3 == 0) {
          js = judge(task, name, ((t * 17 + s * 31) % 100) / 100.0, ++at);
          scores.add(new ProducerRecord<>(Topics.SCORES_JUDGE.name(), task, js));
        }
        set = set.with(new RankingState.Scored(RankingInputs.candidate(c), RankingInputs.test(ts),
            RankingInputs.judge(js)));
      }
      expected.put(task, set);
    }
    final Map<String, HybridRanking> want = new HashMap<>();
    final RankingConfig config = RankingConfig.defaults();
    expected.forEach((task, set) -> want.put(task, Rankings.of(task, set, config.mode(), config.weights())));

    final Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    final Serializer<SpecificRecord> serializer = anySerializer();
    final List<ConsumerRecord<String, HybridRanking>> seen = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(p, new StringSerializer(), serializer);
         KafkaConsumer<String, HybridRanking> reader = reader()) {
      candidates.forEach(r -> producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value())));
      producer.flush();
      KafkaStreams streams = start(config);
      // half of the scores while it runs, a quarter while it is stopped, the rest after the restart
      final int half = scores.size() / 2;
      final int threeQuarters = scores.size() * 3 / 4;
      send(producer, scores.subList(0, half));
      Awaitility.await().atMost(DEADLINE).until(() -> {
        reader.poll(Duration.ofMillis(100)).forEach(seen::add);
        return seen.stream().anyMatch(r -> r.value() != null && r.value().getScoredCandidates() > 0);
      });
      final int beforeRestart = seen.size();
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      send(producer, scores.subList(half, threeQuarters));
      streams = start(config);
      try {
        send(producer, scores.subList(threeQuarters, scores.size()));
        final Map<String, HybridRanking> latest = new HashMap<>();
        Awaitility.await().atMost(DEADLINE).until(() -> {
          reader.poll(Duration.ofMillis(200)).forEach(seen::add);
          latest.clear();
          seen.forEach(r -> latest.put(r.key(), r.value()));
          return latest.equals(want);
        });
        assertTrue(beforeRestart < seen.size(), "rankings were emitted before and after the restart");
      } finally {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      }
    }
    for (final ConsumerRecord<String, HybridRanking> r : seen) {
      final List<String> ids = r.value().getCandidates().stream().map(RankedCandidate::getCandidateId).toList();
      final Set<String> distinct = new HashSet<>(ids);
      assertEquals(ids.size(), distinct.size(), () -> "a candidate listed twice: " + ids);
      assertTrue(ids.size() <= SAMPLES.size(), () -> "more candidates than the task has: " + ids);
      assertEquals(ids.size(), r.value().getK());
    }
  }

  private static void send(final KafkaProducer<String, SpecificRecord> producer,
      final List<ProducerRecord<String, ? extends SpecificRecord>> records) {
    records.forEach(r -> producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value())));
    producer.flush();
  }

  private KafkaStreams start(final RankingConfig config) {
    final KafkaStreams streams = new KafkaStreams(HybridRankingTopology.build(config,
        R2eSerdes.valueSerde(Topics.CANDIDATES, REGISTRY), R2eSerdes.valueSerde(Topics.SCORES_TEST, REGISTRY),
        R2eSerdes.valueSerde(Topics.SCORES_JUDGE, REGISTRY), R2eSerdes.valueSerde(Topics.RANKINGS, REGISTRY),
        R2eSerdes.valueSerde(Topics.dlqOf(Topics.CANDIDATES), REGISTRY)),
        HybridRankingTopology.streamsConfig(KAFKA.bootstrapServers(), "ranking-it", REGISTRY, dir.resolve("state")));
    streams.start();
    return streams;
  }

  /** One serializer for the three input types: each record through its own topic's serde. */
  @SuppressWarnings("unchecked")
  private static Serializer<SpecificRecord> anySerializer() {
    final Map<String, Serializer<SpecificRecord>> byTopic = new HashMap<>();
    for (final var spec : List.of(Topics.CANDIDATES, Topics.SCORES_TEST, Topics.SCORES_JUDGE)) {
      byTopic.put(spec.name(), (Serializer<SpecificRecord>) (Serializer<?>) R2eSerdes.valueSerde(spec, REGISTRY)
          .serializer());
    }
    return (topic, value) -> byTopic.get(topic).serialize(topic, value);
  }

  private static KafkaConsumer<String, HybridRanking> reader() {
    final KafkaConsumer<String, HybridRanking> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
        R2eSerdes.valueSerde(Topics.RANKINGS, REGISTRY).deserializer());
    c.subscribe(List.of(Topics.RANKINGS.name()));
    return c;
  }
}

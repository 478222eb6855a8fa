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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ranking application under exactly_once_v2 on a real broker, stopped in the middle of the scores and started
 * again: the final rankings (read_committed) are exactly those computed from the inputs by the pure functions, none
 * is lost to the stop, and no ranking ever lists a candidate twice or counts more candidates than the task has.
 */
class HybridRankingTopologyIT {

  private static final String SCOPE = "ranking-it-" + UUID.randomUUID();
  private static final String REGISTRY = "mock://" + SCOPE;
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
  private static final int TASKS = 24;
  private static final List<String> SAMPLES = List.of("s0", "s1", "s2", "s3", "s4", "s5");

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir
  Path dir;

  /** Whatever killed a stream thread, for the failure message. */
  private final List<String> errors = new CopyOnWriteArrayList<>();

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(SCOPE);
  }

  /**
   * A set of tasks' inputs and their expected final rankings. Scores are a function of (task, sample); a third of
   * the judge scores are sent twice (the second time as a late re-score with a different P(YES)), which the expected
   * rankings take as the latest.
   */
  private record Inputs(String prefix, List<ProducerRecord<String, CandidatePatch>> candidates,
      List<ProducerRecord<String, ? extends SpecificRecord>> scores, Map<String, HybridRanking> want) {

    static Inputs of(final String prefix, final RankingConfig config) {
      final List<ProducerRecord<String, ? extends SpecificRecord>> scores = new ArrayList<>();
      final List<ProducerRecord<String, CandidatePatch>> candidates = new ArrayList<>();
      final Map<String, HybridRanking> want = new HashMap<>();
      long at = 0;
      for (int t = 0; t < TASKS; t++) {
        final String task = prefix + String.format("%06x", t);
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
        want.put(task, Rankings.of(task, set, config.mode(), config.weights()));
      }
      return new Inputs(prefix, candidates, scores, want);
    }

    List<ProducerRecord<String, ? extends SpecificRecord>> scores(final double from, final double to) {
      return scores.subList((int) (scores.size() * from), (int) (scores.size() * to));
    }
  }

  @Test
  void aRestartInTheMiddleOfTheScoresEndsWithTheSameRankingsAndNoCandidateTwice() throws Exception {
    final RankingConfig config = RankingConfig.defaults();
    final Inputs in = Inputs.of("acme/widgets@", config);
    final List<ConsumerRecord<String, HybridRanking>> seen = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = producer();
         KafkaConsumer<String, HybridRanking> reader = reader()) {
      send(producer, in.candidates());
      KafkaStreams streams = start("ranking-it", config);
      // half of the scores while it runs, a quarter while it is stopped, the rest after the restart
      send(producer, in.scores(0, 0.5));
      Awaitility.await().atMost(DEADLINE).until(() -> {
        reader.poll(Duration.ofMillis(100)).forEach(seen::add);
        return seen.stream().anyMatch(r -> r.key().startsWith(in.prefix()) && r.value().getScoredCandidates() > 0);
      });
      final int beforeRestart = seen.size();
      // A close that timed out would leave the old instance's threads in the group beside the new one.
      assertTrue(close(streams), "the first instance closed within " + CLOSE_TIMEOUT);
      send(producer, in.scores(0.5, 0.75));
      streams = start("ranking-it", config);
      try {
        send(producer, in.scores(0.75, 1));
        awaitFinalRankings(in, reader, seen, streams);
        assertTrue(beforeRestart < seen.size(), "rankings were emitted before and after the restart");
      } finally {
        close(streams);
      }
    }
    assertNoCandidateTwice(seen);
  }

  /**
   * Inputs processed and committed by an instance that stops before its next emission leave their tasks marked as
   * due in a changelogged store: the restarted instance ranks them although no new input of theirs arrives.
   */
  @Test
  void tasksDueWhenTheApplicationStopsAreRankedAfterTheRestart() throws Exception {
    final RankingConfig config = RankingConfig.defaults();
    final Inputs in = Inputs.of("acme/gadgets@", config);
    final List<ConsumerRecord<String, HybridRanking>> seen = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = producer();
         KafkaConsumer<String, HybridRanking> reader = reader();
         Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      send(producer, in.candidates());
      send(producer, in.scores(0, 0.75));
      // an hour between emissions: this instance reads and commits the inputs but never ranks
      KafkaStreams streams = start("ranking-it-due", config.withEmitIntervalMs(3_600_000));
      Awaitility.await().atMost(DEADLINE).until(() -> inputsCommitted(admin, "ranking-it-due"));
      assertTrue(close(streams), "the first instance closed within " + CLOSE_TIMEOUT);
      reader.poll(Duration.ofSeconds(1)).forEach(seen::add);
      assertTrue(seen.stream().noneMatch(r -> r.key().startsWith(in.prefix())),
          "the first instance emitted no ranking of these tasks");

      // only the last quarter of the scores arrives after the restart: the tasks whose scores all came before
      // are ranked from their marks alone
      streams = start("ranking-it-due", config);
      try {
        send(producer, in.scores(0.75, 1));
        awaitFinalRankings(in, reader, seen, streams);
      } finally {
        close(streams);
      }
    }
    assertNoCandidateTwice(seen);
  }

  /** Polls until the latest ranking of each of the inputs' tasks is the expected one. */
  private void awaitFinalRankings(final Inputs in, final KafkaConsumer<String, HybridRanking> reader,
      final List<ConsumerRecord<String, HybridRanking>> seen, final KafkaStreams streams) {
    final Map<String, HybridRanking> latest = new HashMap<>();
    try {
      Awaitility.await().atMost(DEADLINE).until(() -> {
        reader.poll(Duration.ofMillis(200)).forEach(seen::add);
        latest.clear();
        seen.stream().filter(r -> r.key().startsWith(in.prefix())).forEach(r -> latest.put(r.key(), r.value()));
        return latest.equals(in.want());
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(diagnosis(in.want(), latest, streams), e);
    }
  }

  private static void assertNoCandidateTwice(final List<ConsumerRecord<String, HybridRanking>> seen) {
    for (final ConsumerRecord<String, HybridRanking> r : seen) {
      final List<String> ids = r.value().getCandidates().stream().map(RankedCandidate::getCandidateId).toList();
      final Set<String> distinct = new HashSet<>(ids);
      assertEquals(ids.size(), distinct.size(), () -> "a candidate listed twice: " + ids);
      assertTrue(ids.size() <= SAMPLES.size(), () -> "more candidates than the task has: " + ids);
      assertEquals(ids.size(), r.value().getK());
    }
  }

  /** Whether the application's group has committed offsets at the end of every input partition. */
  private static boolean inputsCommitted(final Admin admin, final String group) throws Exception {
    final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata().get();
    final Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (final String topic : List.of(Topics.CANDIDATES.name(), Topics.SCORES_TEST.name(),
        Topics.SCORES_JUDGE.name())) {
      for (int p = 0; p < Topics.CANDIDATES.partitions(); p++) {
        ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    }
    final var end = admin.listOffsets(ends).all().get();
    return end.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
        || committed.containsKey(e.getKey()) && committed.get(e.getKey()).offset() >= e.getValue().offset());
  }

  private static KafkaProducer<String, SpecificRecord> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
        new StringSerializer(), anySerializer());
  }

  /**
   * Sends one record at a time and waits for each acknowledgement: the expected rankings take the later of two judge
   * scores of a candidate, so the order must hold, and a record the broker refused must fail the test here rather
   * than as a ranking that never arrives.
   */
  private static void send(final KafkaProducer<String, SpecificRecord> producer,
      final List<? extends ProducerRecord<String, ? extends SpecificRecord>> records) throws Exception {
    for (final ProducerRecord<String, ? extends SpecificRecord> r : records) {
      try {
        producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value())).get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError("input record " + r.topic() + "/" + r.key() + " was not published", e.getCause());
      }
    }
  }

  private static boolean close(final KafkaStreams streams) {
    return streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }

  /** What the rankings lack when they never equal the expected ones, and what the application went through. */
  private String diagnosis(final Map<String, HybridRanking> want, final Map<String, HybridRanking> latest,
      final KafkaStreams streams) {
    final List<String> wrong = want.keySet().stream().filter(t -> !want.get(t).equals(latest.get(t))).sorted()
        .toList();
    final StringBuilder b = new StringBuilder("final rankings differ for ").append(wrong.size()).append(" of ")
        .append(want.size()).append(" tasks; application state ").append(streams.state()).append("; errors ")
        .append(errors);
    if (!wrong.isEmpty()) {
      b.append("; first: ").append(wrong.get(0)).append(" want ").append(want.get(wrong.get(0))).append(" got ")
          .append(latest.get(wrong.get(0)));
    }
    return b.toString();
  }

  private KafkaStreams start(final String applicationId, final RankingConfig config) {
    final KafkaStreams streams = new KafkaStreams(HybridRankingTopology.build(config,
        R2eSerdes.valueSerde(Topics.CANDIDATES, REGISTRY), R2eSerdes.valueSerde(Topics.SCORES_TEST, REGISTRY),
        R2eSerdes.valueSerde(Topics.SCORES_JUDGE, REGISTRY), R2eSerdes.valueSerde(Topics.RANKINGS, REGISTRY),
        R2eSerdes.valueSerde(Topics.dlqOf(Topics.CANDIDATES), REGISTRY)),
        HybridRankingTopology.streamsConfig(KAFKA.bootstrapServers(), applicationId, REGISTRY, dir.resolve("state")));
    streams.setUncaughtExceptionHandler(e -> {
      errors.add(e.toString());
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
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

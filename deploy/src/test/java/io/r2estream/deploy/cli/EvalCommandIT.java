package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.config.ConfigKeys;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code r2e eval bestk} against a running broker: ground truth from the trajectories, regression and reproduction
 * from the test scores, P(YES) from the judge scores, the latest record of each candidate.
 */
class EvalCommandIT {

  @TempDir
  Path dir;

  private final String scope = "eval-cli-" + java.util.UUID.randomUUID();
  private EmbeddedKafkaBroker broker;

  @BeforeEach
  void startBroker() {
    broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0).start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicCreator.ensure(admin, Topics.all(), (short) 1);
    }
  }

  @AfterEach
  void stopBroker() {
    broker.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @Test
  void bestKFromTheTrajectoriesAndScoresTopics() throws Exception {
    // 1. arrange: the hand-computed case of BestAtKTest (at K = 3: hybrid 50, EB 75, EF 0, pass 100), plus a
    // rollout without reward (left out) and stale records the latest ones replace.
    send(Topics.TRAJECTORIES, List.of(traj("A/r/0", 1.0), traj("A/r/0", 0.0), traj("A/r/1", 1.0),
        traj("A/r/2", 1.0), traj("B/r/0", 1.0), traj("B/r/1", 0.0), traj("B/r/2", 0.0), traj("B/r/3", null)));
    send(Topics.SCORES_TEST, List.of(test("A/r/0", 0, List.of()), test("A/r/0", 5, List.of(1.0)),
        test("A/r/1", 5, List.of(1.0, 1.0)), test("A/r/2", 3, List.of(0.0)), test("B/r/0", 1, List.of(0.0)),
        test("B/r/1", 1, List.of(0.0)), test("B/r/2", 0, List.of(0.0))));
    send(Topics.SCORES_JUDGE, List.of(judge("A/r/0", 0.9), judge("A/r/1", 0.5), judge("A/r/2", 0.7),
        judge("B/r/0", 0.2), judge("B/r/1", 0.8), judge("B/r/2", 0.8)));

    // 2. run the command as a user does
    final Path out = dir.resolve("report");
    final CliRun run = CliRun.of("-D",
        ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + broker.bootstrapServers(),
        "-D", ConfigKeys.REGISTRY_URL + "=mock://" + scope, "-D", ConfigKeys.DATA_DIR + "=" + dir.resolve("cli"),
        "eval", "bestk", "--trials", "200", "--out", out.toString());

    // 3. assert
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("Best@K over 2 tasks of 3 candidates each"), run.out());
    assertTrue(run.out().contains("Left out: 1 candidates without ground truth."), run.out());
    assertTrue(run.out().contains("| 3 | 50.0 ± 0.0 | 75.0 ± 0.0 | 0.0 ± 0.0 |"), run.out());
    assertTrue(run.out().contains("| 100.0 ± 0.0 |"), run.out());
    for (final String f : List.of("bestk.md", "bestk.csv", "bestk.png", "bestk.svg")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
  }

  private <T extends SpecificRecord> void send(final TopicSpec<T> topic, final List<T> records) throws Exception {
    try (KafkaProducer<String, T> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()), new StringSerializer(),
        R2eSerdes.valueSerde(topic, "mock://" + scope).serializer())) {
      for (final T r : records) {
        // Keyed by task id, as the platform keys these topics.
        p.send(new ProducerRecord<>(topic.name(), r.get(r.getSchema().getField("task_id").pos()).toString(), r))
            .get();
      }
    }
  }

  private static Trajectory traj(final String id, final Double reward) {
    return Trajectory.newBuilder().setRolloutId(id).setTaskId(id.substring(0, 1)).setRunId("r").setSample(0)
        .setReward(reward).setStartedAt(Instant.EPOCH).setFinishedAt(Instant.EPOCH).build();
  }

  private static TestScore test(final String id, final int passed, final List<Double> repro) {
    return TestScore.newBuilder().setCandidateId(id).setTaskId(id.substring(0, 1)).setStatus(GradeStatus.PASS)
        .setRegressionPassed(passed).setReproductionScores(repro).setTestScore(passed).setScoredAt(Instant.EPOCH)
        .build();
  }

  private static JudgeScore judge(final String id, final double pYes) {
    return JudgeScore.newBuilder().setCandidateId(id).setTaskId(id.substring(0, 1)).setModel("judge").setPYes(pYes)
        .setStatus(GradeStatus.PASS).setScoredAt(Instant.EPOCH).build();
  }
}

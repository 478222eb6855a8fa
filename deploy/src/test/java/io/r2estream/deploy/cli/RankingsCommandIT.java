package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.RankingQueryServer;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.streams.ranking.HybridRankingTopology;
import io.r2estream.streams.ranking.RankingConfig;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ranking application and its query endpoint on a real broker, and {@code r2e rankings} as a user runs it: the
 * endpoint answers a task's ranking (404 for an unknown task), {@code --follow} prints ranked patches, and
 * {@code --export} writes the selected patch of each task as SWE-bench predictions.
 */
class RankingsCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TASK_A = "acme/widgets@aaaa01";
  private static final String TASK_B = "acme/widgets@bbbb02";
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private final String scope = "rankings-cli-" + UUID.randomUUID();
  private EmbeddedKafkaBroker broker;
  private KafkaStreams streams;
  private RankingQueryServer queries;
  private String[] target;

  @BeforeEach
  void start() {
    broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0).start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicCreator.ensure(admin, Topics.all(), (short) 1);
    }
    final String registry = "mock://" + scope;
    streams = new KafkaStreams(HybridRankingTopology.build(RankingConfig.defaults(),
        R2eSerdes.valueSerde(Topics.CANDIDATES, registry), R2eSerdes.valueSerde(Topics.SCORES_TEST, registry),
        R2eSerdes.valueSerde(Topics.SCORES_JUDGE, registry), R2eSerdes.valueSerde(Topics.RANKINGS, registry),
        R2eSerdes.valueSerde(Topics.dlqOf(Topics.CANDIDATES), registry)),
        HybridRankingTopology.streamsConfig(broker.bootstrapServers(), "rankings-cli", registry, dir.resolve("st")));
    streams.start();
    queries = RankingQueryServer.start(streams, 0);
    target = new String[] {"-D", ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + broker.bootstrapServers(),
        "-D", ConfigKeys.REGISTRY_URL + "=" + registry, "-D", ConfigKeys.DATA_DIR + "=" + dir.resolve("cli")};
  }

  @AfterEach
  void stop() {
    queries.close();
    streams.close(CloseOptions.timeout(Duration.ofSeconds(30)));
    broker.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @Test
  void theEndpointAnswersRankingsAndTheCliFollowsAndExportsTheSelectedPatches() throws Exception {
    // A: x resolves and has the best regression among the top 3 by judge; B: only one candidate, unscored truth
    publish(TASK_A, "x", 1.0, 9, 1.0, 0.7);
    publish(TASK_A, "y", 0.0, 5, 3.0, 0.9);
    publish(TASK_A, "z", 0.0, 2, 0.0, 0.1);
    publish(TASK_B, "w", null, 1, 0.0, 0.5);

    final HttpClient http = HttpClient.newHttpClient();
    final JsonNode a = Awaitility.await().atMost(DEADLINE).until(() -> get(http, TASK_A),
        n -> n != null && n.get("scored_candidates").asInt() == 3);
    assertEquals(TASK_A + "/run/x", a.get("best_candidate_id").asText());
    assertTrue(a.get("selection_resolves").asBoolean());
    assertEquals("patch of x\n", a.get("selected_patch").asText());
    assertEquals(List.of(TASK_A + "/run/x", TASK_A + "/run/y", TASK_A + "/run/z"),
        JSON.convertValue(a.get("candidates").findValues("candidate_id"), List.class).stream()
            .map(n -> ((JsonNode) JSON.valueToTree(n)).asText()).toList());
    final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + queries.port() + RankingQueryServer.PATH + "nobody@0")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("no ranking for task 'nobody@0'"), missing.body());

    final Path predictions = dir.resolve("predictions.jsonl");
    Awaitility.await().atMost(DEADLINE).until(() -> {
      final Result export = run("rankings", "--export", predictions.toString());
      assertEquals(0, export.code(), export.err());
      final List<String> rows = Files.readAllLines(predictions, StandardCharsets.UTF_8);
      return rows.size() == 2 && rows.get(0).contains("patch of x");
    });
    final List<String> rows = Files.readAllLines(predictions, StandardCharsets.UTF_8);
    final JsonNode first = JSON.readTree(rows.get(0));
    assertEquals(TASK_A, first.get("instance_id").asText());
    assertEquals("r2e-stream-hybrid", first.get("model_name_or_path").asText());
    assertEquals("patch of x\n", first.get("model_patch").asText());
    assertEquals(List.of("instance_id", "model_name_or_path", "model_patch"),
        iterate(first.fieldNames()));
    assertEquals("patch of w\n", JSON.readTree(rows.get(1)).get("model_patch").asText());

    final Result named = run("rankings", "--export", predictions.toString(), "--model-name", "mine",
        "--tasks", "bbbb");
    assertEquals(0, named.code(), named.err());
    assertTrue(named.out().contains("Exported 1 predictions"), named.out());
    assertEquals("mine", JSON.readTree(Files.readString(predictions)).get("model_name_or_path").asText());

    final Result follow = run("rankings", "--follow", "--max-updates", "1", "--tasks", "bbbb");
    assertEquals(0, follow.code(), follow.err());
    assertTrue(follow.out().contains(TASK_B + "  HYBRID  k=1"), follow.out());
    assertTrue(follow.out().contains("resolves: unknown"), follow.out());

    final Result shown = run("rankings", "--tasks", "aaaa");
    assertTrue(shown.out().matches("(?s).*" + TASK_A + "  HYBRID  k=3 \\(3 scored\\)  selected " + TASK_A
        + "/run/x  resolves: yes.*\\s+1\\* " + TASK_A + "/run/x\\s+9\\s+1\\.0\\s+0\\.700.*"), shown.out());
  }

  private static List<String> iterate(final java.util.Iterator<String> it) {
    final List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  private JsonNode get(final HttpClient http, final String task) throws Exception {
    final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + queries.port()
        + RankingQueryServer.PATH + URLEncoder.encode(task, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
  }

  private void publish(final String task, final String name, final Double reward, final int regression,
      final double reproduction, final double pYes) {
    final String registry = "mock://" + scope;
    final String id = task + "/run/" + name;
    final Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, CandidatePatch> c = new KafkaProducer<>(p, new StringSerializer(),
             R2eSerdes.valueSerde(Topics.CANDIDATES, registry).serializer());
         KafkaProducer<String, TestScore> t = new KafkaProducer<>(p, new StringSerializer(),
             R2eSerdes.valueSerde(Topics.SCORES_TEST, registry).serializer());
         KafkaProducer<String, JudgeScore> j = new KafkaProducer<>(p, new StringSerializer(),
             R2eSerdes.valueSerde(Topics.SCORES_JUDGE, registry).serializer())) {
      c.send(new ProducerRecord<>(Topics.CANDIDATES.name(), task, CandidatePatch.newBuilder().setCandidateId(id)
          .setTaskId(task).setRunId("run").setSample(0).setPatch("patch of " + name + "\n")
          .setCreatedAt(Instant.EPOCH).setReward(reward).build()));
      t.send(new ProducerRecord<>(Topics.SCORES_TEST.name(), task, TestScore.newBuilder().setCandidateId(id)
          .setTaskId(task).setStatus(GradeStatus.PASS).setRegressionPassed(regression)
          .setReproductionScores(List.of(reproduction)).setTestScore(regression).setScoredAt(Instant.EPOCH).build()));
      j.send(new ProducerRecord<>(Topics.SCORES_JUDGE.name(), task, JudgeScore.newBuilder().setCandidateId(id)
          .setTaskId(task).setModel("judge").setPYes(pYes).setStatus(GradeStatus.PASS).setScoredAt(Instant.EPOCH)
          .build()));
    }
  }

  private record Result(int code, String out, String err) {
  }

  private Result run(final String... args) {
    final CliRun r = CliRun.of(CliRun.concat(target, args));
    return new Result(r.exitCode(), r.out(), r.err());
  }

}

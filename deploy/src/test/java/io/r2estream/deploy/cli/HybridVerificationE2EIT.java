package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.avro.TestScore;
import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.producers.rollouts.RolloutRequestPublisher;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.streams.ranking.RankingConfig;
import io.r2estream.streams.ranking.RankingInputs;
import io.r2estream.streams.ranking.RankingState;
import io.r2estream.streams.ranking.Rankings;
import io.r2estream.testgen.TestGenConfig;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import io.r2estream.verifier.judge.JudgeConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5 end to end on the embedded platform with one scripted LLM in every role: a task of the sample project
 * (SWE-GEN on Docker, its statement back-translated), K = 4 rollouts (the gold fix, a partial fix and two harmless
 * wrong edits), the testing agent's reproduction test, the execution-based verifier's scores, then the platform is
 * stopped in the middle of the stream (judge off: the ranking has test scores only) and started again on the same
 * data with the judge on: the final ranking selects the fix in every mode, it is exactly the ranking the pure
 * functions compute from the topics, the interactive query and {@code r2e rankings} show it, and nothing was
 * produced twice (one candidate, one test score and one judge score per rollout; no ranking lists a candidate twice).
 */
class HybridVerificationE2EIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofMinutes(8);
  private static final String RUN = "run-e2e";
  /** Rollout sample → model: sample 0 is the fix. */
  private static final List<String> MODELS = List.of(ScriptedRoles.FIX, ScriptedRoles.PARTIAL,
      ScriptedRoles.APOSTROPHE, ScriptedRoles.DOCSTRING);

  @TempDir
  Path dir;

  @Test
  void tasksRolloutsGeneratedTestsScoresThenARestartAndTheRankingSelectsTheFix() throws Exception {
    final Path repo = SampleProject.materialize(dir.resolve("sample"));
    final ScriptedRoles roles = new ScriptedRoles();
    try (ScriptedLlmServer llm = ScriptedLlmServer.start().otherwise(roles::answer)) {
      final Map<String, Object> settings = TestPlatforms.properties(dir.resolve("data"), Map.of(
          ConfigKeys.CONNECT_ENABLED, false, EnvBuilderConfig.ENABLED_CONFIG, true,
          ConfigKeys.LLM_BASE_URL, llm.baseUrl(), ConfigKeys.LLM_MODEL, ScriptedRoles.PLATFORM_MODEL,
          TestGenConfig.SAMPLES_CONFIG, 1));
      final long started = System.nanoTime();
      final String task;
      final String fix;
      // Part 1, judge off: the ranking application sees candidates and test scores only, then stops mid-stream.
      settings.put(JudgeConfig.ENABLED_CONFIG, false);
      try (EmbeddedPlatform platform = EmbeddedPlatform.start(PlatformConfig.load(settings), l -> { })) {
        final String[] target = target(platform);
        // The three newest commits hold one candidate: "tokenizer: treat accented letters as word characters".
        run(0, CliRun.concat(target, "ingest", repo.toString(), "--repo-id", SampleProject.REPOSITORY_ID,
            "--max-commits", "3"));
        final TaskInstance t = await("a validated task", () -> TaskTopicReader.readAll(platform.bootstrapServers(),
            platform.registryUrl()).values().stream().findFirst());
        task = t.getInstanceId();
        assertTrue(t.getProblemStatement().contains("returns 5 instead of 4"), "back-translated by the scripted LLM: "
            + t.getProblemStatement());
        roles.task(t);
        fix = RolloutRun.rolloutId(task, RUN, 0);
        RolloutRequestPublisher.publish(platform.bootstrapServers(), platform.registryUrl(), requests(task));
        final HybridRanking partial = await("a ranking of 4 candidates with test scores", () -> ranking(platform, task)
            .filter(r -> r.getK() == MODELS.size()
                && r.getCandidates().stream().allMatch(c -> c.getRegressionScore() != null)));
        assertEquals(0, partial.getScoredCandidates(), "no judge scores while the judge is off");
        partial.getCandidates().forEach(c -> assertNull(c.getJudgeScore(), c.getCandidateId()));
        assertEquals(fix, partial.getEbSelection(), "the reproduction test already tells the fix apart");
      }
      final long firstPart = System.nanoTime();
      // Part 2: the same data, the judge on. Everything resumes from its committed offsets and state.
      settings.put(JudgeConfig.ENABLED_CONFIG, true);
      try (EmbeddedPlatform platform = EmbeddedPlatform.start(PlatformConfig.load(settings), l -> { })) {
        final HybridRanking r = await("a ranking with every candidate judged", () -> ranking(platform, task)
            .filter(x -> x.getScoredCandidates() == MODELS.size()));
        System.out.printf("E2E: first part %d s, after the restart %d s%n", (firstPart - started) / 1_000_000_000L,
            (System.nanoTime() - firstPart) / 1_000_000_000L);
        assertTheFixIsSelected(r, task, fix);
        assertEquals(expectedRanking(platform, task), r, "the ranking the pure functions compute from the topics");
        assertNothingTwice(platform, task);
        assertEquals(MODELS.size(), llm.requests().stream().filter(q -> q.json().path("messages").path(0)
            .path("content").asText().startsWith("You are an expert reviewer")).count(), "one judge call per rollout");

        final JsonNode queried = query(platform, task);
        assertEquals(fix, queried.path("best_candidate_id").asText(), queried.toString());
        assertEquals(MODELS.size(), queried.path("candidates").size(), queried.toString());
        assertTrue(queried.path("selection_resolves").asBoolean(), queried.toString());

        final String shown = run(0, CliRun.concat(target(platform), "rankings", "--tasks", Pattern.quote(task)));
        assertTrue(shown.contains("selected " + fix + "  resolves: yes"), shown);
        assertTrue(shown.contains("1 rankings"), shown);
      }
    }
  }

  private static void assertTheFixIsSelected(final HybridRanking r, final String task, final String fix) {
    assertEquals(task, r.getTaskId());
    assertEquals("HYBRID", r.getMode());
    assertEquals(MODELS.size(), r.getK());
    assertEquals(fix, r.getBestCandidateId(), r.toString());
    assertEquals(fix, r.getHybridSelection());
    assertEquals(fix, r.getEbSelection());
    assertEquals(fix, r.getEfSelection());
    assertEquals(fix, r.getWeightedSelection());
    assertEquals(Boolean.TRUE, r.getSelectionResolves());
    assertNotNull(r.getSelectedPatch());
    assertTrue(r.getSelectedPatch().contains("+++ b/textkit/tokenizer.py"), r.getSelectedPatch());
    final Map<String, RankedCandidate> byId = new HashMap<>();
    r.getCandidates().forEach(c -> byId.put(c.getCandidateId(), c));
    assertEquals(MODELS.size(), byId.size(), "every candidate once: " + r.getCandidates());
    final RankedCandidate first = r.getCandidates().get(0);
    assertEquals(fix, first.getCandidateId());
    assertEquals(1, first.getRank());
    for (int sample = 0; sample < MODELS.size(); sample++) {
      final String model = MODELS.get(sample);
      final RankedCandidate c = byId.get(RolloutRun.rolloutId(task, RUN, sample));
      assertNotNull(c, model);
      assertNotNull(c.getRegressionScore(), model);
      assertTrue(c.getRegressionScore() > 0, model + ": the existing tests still pass: " + c);
      assertEquals(r.getCandidates().get(0).getRegressionScore(), c.getRegressionScore(),
          model + ": no candidate breaks an existing test");
      final double reproduction = switch (model) {
        case ScriptedRoles.FIX -> ScriptedRoles.TEST_CASES;
        case ScriptedRoles.PARTIAL -> 1.0;
        default -> 0.0;
      };
      assertEquals(reproduction, c.getReproductionScore(), model + ": \"Issue resolved\" lines");
      assertEquals(ScriptedRoles.P_YES.get(model), c.getJudgeScore(), 1e-9, model + ": the judge's P(YES)");
      assertEquals(ScriptedRoles.FIX.equals(model) ? 1.0 : 0.0, c.getGroundTruth(), model + ": hidden tests");
    }
  }

  /** The ranking {@link Rankings#of} computes from the latest candidate and scores of each rollout on the topics. */
  private static HybridRanking expectedRanking(final EmbeddedPlatform p, final String task) {
    final SortedMap<String, CandidatePatch> candidates = latestPerCandidate(p, Topics.CANDIDATES,
        r -> r.value().getCandidateId());
    final SortedMap<String, TestScore> tests = latestPerCandidate(p, Topics.SCORES_TEST,
        r -> r.value().getCandidateId());
    final SortedMap<String, JudgeScore> judges = latestPerCandidate(p, Topics.SCORES_JUDGE,
        r -> r.value().getCandidateId());
    RankingState.TaskCandidates set = RankingState.TaskCandidates.empty();
    for (final CandidatePatch c : candidates.values()) {
      if (!c.getTaskId().equals(task)) {
        continue;
      }
      final TestScore ts = tests.get(c.getCandidateId());
      final JudgeScore js = judges.get(c.getCandidateId());
      assertNotNull(ts, c.getCandidateId());
      assertNotNull(js, c.getCandidateId());
      assertTrue(ts.getStatus() != GradeStatus.INFRA_ERROR, ts.toString());
      assertEquals("logprobs", js.getSource(), js.toString());
      set = set.with(new RankingState.Scored(RankingInputs.candidate(c), RankingInputs.test(ts),
          RankingInputs.judge(js)));
    }
    final RankingConfig config = RankingConfig.fromProperties(p.config().properties());
    return Rankings.of(task, set, config.mode(), config.weights());
  }

  /**
   * Exactly-once across the restart: one record per rollout on the candidate, trajectory, test-score and
   * judge-score topics (keyed by task, so a duplicate would raise the count), one test patch, and no ranking
   * record that lists a candidate twice or more candidates than there are.
   */
  private static void assertNothingTwice(final EmbeddedPlatform p, final String task) {
    final Map<String, Integer> perTask = TopicProbe.countPerKey(p.bootstrapServers(), List.of(
        Topics.CANDIDATES.name()));
    assertEquals(MODELS.size(), perTask.get(task), "candidates of the task");
    for (final var topic : List.of(Topics.TRAJECTORIES, Topics.SCORES_TEST, Topics.SCORES_JUDGE)) {
      assertEquals(MODELS.size(), TopicProbe.countPerKey(p.bootstrapServers(), List.of(topic.name())).get(task),
          "records on " + topic.name());
    }
    final SortedMap<String, TestGenPatch> tests = latestPerCandidate(p, Topics.TESTGEN_PATCHES,
        r -> r.value().getTestgenId());
    assertEquals(1, tests.size(), tests.keySet().toString());
    final TestGenPatch test = tests.values().iterator().next();
    assertTrue(test.getReproducesAtBase(), test.getDetail());
    assertEquals(ScriptedRoles.TEST_CASES, test.getCasesReproduced(), test.getDetail());
    assertEquals(1, TopicProbe.countPerKey(p.bootstrapServers(), List.of(Topics.TESTGEN_PATCHES.name())).get(task));
    for (final HybridRanking r : allRankings(p)) {
      final List<String> ids = r.getCandidates().stream().map(RankedCandidate::getCandidateId).toList();
      final Set<String> distinct = new HashSet<>(ids);
      assertEquals(ids.size(), distinct.size(), () -> "a candidate listed twice: " + ids);
      assertTrue(ids.size() <= MODELS.size(), () -> "more candidates than rollouts: " + ids);
      assertEquals(ids.size(), r.getK(), () -> "k of " + ids);
    }
  }

  private static <T extends SpecificRecord> SortedMap<String, T> latestPerCandidate(final EmbeddedPlatform p,
      final TopicSpec<T> topic, final Function<ConsumerRecord<String, T>, String> id) {
    return TaskTopicReader.latest(p.bootstrapServers(), p.registryUrl(), topic, id);
  }

  private static List<RolloutRequest> requests(final String task) {
    return IntStream.range(0, MODELS.size()).mapToObj(sample -> RolloutRequest.newBuilder()
        .setRolloutId(RolloutRun.rolloutId(task, RUN, sample)).setTaskId(task).setRunId(RUN).setSample(sample)
        .setModel(MODELS.get(sample)).setTemperature(0.0).setMaxSteps(10).setAgentConfig(Map.of())
        .setRequestedAt(Instant.now()).build()).toList();
  }

  private static Optional<HybridRanking> ranking(final EmbeddedPlatform p, final String task) {
    return Optional.ofNullable(TaskTopicReader.latest(p.bootstrapServers(), p.registryUrl(), Topics.RANKINGS,
        ConsumerRecord::key).get(task));
  }

  private static JsonNode query(final EmbeddedPlatform p, final String task) throws Exception {
    final URI uri = URI.create(p.endpoints().get("rankings") + URLEncoder.encode(task, StandardCharsets.UTF_8));
    final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), uri + ": " + response.body());
    return JSON.readTree(response.body());
  }

  /** Polls {@code probe} every second until it yields a value; fails after {@link #DEADLINE} naming the wait. */
  private static <T> T await(final String what, final Callable<Optional<T>> probe) {
    return Awaitility.await(what).atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).until(probe,
        Optional::isPresent).orElseThrow();
  }

  private static String[] target(final EmbeddedPlatform platform) {
    return new String[] {"-D", ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + platform.bootstrapServers(),
        "-D", ConfigKeys.REGISTRY_URL + "=" + platform.registryUrl(),
        "-D", ConfigKeys.DATA_DIR + "=" + platform.config().dataDir().resolveSibling("cli")};
  }

  private static String run(final int expectedExit, final String... args) {
    final CliRun r = CliRun.of(args);
    assertEquals(expectedExit, r.exitCode(), "exit code of r2e " + String.join(" ", args) + "\n" + r.out() + r.err());
    return r.out();
  }

  /** Every committed ranking record from the beginning (not only the latest per task). */
  private static List<HybridRanking> allRankings(final EmbeddedPlatform p) {
    final AvroDeserializer<HybridRanking> values = new AvroDeserializer<>(HybridRanking.class);
    values.configure(Map.of(SchemaRegistryClients.URL_CONFIG, p.registryUrl()), false);
    final List<HybridRanking> out = new ArrayList<>();
    try (KafkaConsumer<String, HybridRanking> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), values)) {
      final List<TopicPartition> partitions = consumer.partitionsFor(Topics.RANKINGS.name()).stream()
          .map(x -> new TopicPartition(x.topic(), x.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Awaitility.await("the rankings topic read to its end").atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.value() != null && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            out.add(r.value());
          }
        });
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
      });
    }
    return out;
  }
}

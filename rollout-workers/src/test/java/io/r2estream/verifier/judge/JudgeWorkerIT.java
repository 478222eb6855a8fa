package io.r2estream.verifier.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.MetricsServer;
import io.r2estream.metrics.R2eMetrics;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.testkit.llm.RecordedRequest;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import io.r2estream.testkit.metrics.Scrape;
import io.r2estream.topics.Topics;
import io.r2estream.workers.AvroTopicRecords;
import io.r2estream.verifier.judge.Trajectories.Step;
import io.r2estream.workers.ExactlyOnceJobWorker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The judge workers on a real broker with a scripted judge model over HTTP: trajectories in, one score per
 * candidate out, keyed by task and naming its candidate, even when the model answers in another order than it was
 * asked; malformed trajectories go to the dead-letter topic. The process's {@code /metrics} endpoint shows what
 * happened: records judged and dead-lettered, job and judge-call timers, the scripted server's token usage to the
 * token, and the worker's Kafka client meters.
 */
class JudgeWorkerIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int PROMPT_TOKENS = 900;
  private static final int COMPLETION_TOKENS = 5;
  private static final Pattern CANDIDATE = Pattern.compile("CANDIDATE=(\\S+)");

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String registry = "mock://judge-it-" + run;
  private final AvroTopicRecords records = new AvroTopicRecords(KAFKA::bootstrapServers, registry);

  @Test
  void scoresEveryCandidateUnderItsOwnIdWhateverTheAnswerOrderAndDeadLettersMalformedOnes() throws Exception {
    // Three tasks on three partitions, two candidates each, every candidate with its own scripted P(YES).
    final Map<String, Double> pYes = new LinkedHashMap<>();
    final List<Trajectory> trajectories = new ArrayList<>();
    for (int task = 0; task < 3; task++) {
      for (int sample = 0; sample < 2; sample++) {
        final String taskId = run + "/task" + task;
        final String candidate = taskId + "/run-1/" + sample;
        pYes.put(candidate, 0.1 + 0.15 * (task * 2 + sample));
        trajectories.add(Trajectories.of(candidate, taskId, "fix it\nCANDIDATE=" + candidate, "",
            new Step("look", "<function=finish>\n</function>", "ok")));
      }
    }
    // The first request to arrive is held until the test has seen the scores of the two tasks it does not belong
    // to: those are asked after it and answered before it.
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicReference<String> held = new AtomicReference<>();
    try (ScriptedLlmServer server = ScriptedLlmServer.start();
        MetricsServer metrics = MetricsServer.start("127.0.0.1", 0, R2eMetrics.registry())) {
      // The registry is the process's: other tests of this JVM count into it too, so this test compares deltas.
      final String before = Scrape.fetch(metrics.url());
      server.otherwise(request -> {
        final String candidate = candidateOf(request);
        final double p = pYes.get(candidate);
        final ScriptedReply reply = ScriptedReply.completion("<judgement>" + (p >= 0.5 ? "YES" : "NO")
            + "</judgement>").usage(PROMPT_TOKENS, COMPLETION_TOKENS)
            .tokenLogprob("<", -0.001, Map.of("<", -0.001)).tokenLogprob("jud", -0.001, Map.of("jud", -0.001))
            .tokenLogprob("gement", -0.001, Map.of("gement", -0.001)).tokenLogprob(">", -0.001, Map.of(">", -0.001))
            .tokenLogprob(p >= 0.5 ? "YES" : "NO", Math.log(Math.max(p, 1 - p)),
                Map.of("YES", Math.log(p), "NO", Math.log(1 - p)));
        if (request.index() == 0) {
          held.set(candidate);
          return reply.heldUntil(release);
        }
        return reply.delayed(Duration.ofMillis(50L * (request.index() % 3)));
      });

      final Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
          KAFKA.bootstrapServers());
      final LlmConfig llm = LlmConfig.of(server.baseUrl(), "judge", "").withMaxConcurrency(4);
      try (ExactlyOnceJobWorker<Trajectory> worker = new ExactlyOnceJobWorker<>(JudgeWorker.STAGE,
          Topics.TRAJECTORIES, "judge-it-" + run, kafka, registry, 4, new JudgeWorker(new Judge(
              new LlmClient(llm, MeterNames.ROLE_JUDGE), JudgePrompt.standard(), JudgeInput.DEFAULT_MAX_CONTEXT_TOKENS, 16,
              Clock.systemUTC())));
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new ByteArraySerializer(),
              new ByteArraySerializer())) {
        worker.start();
        final Serializer<Trajectory> ser = R2eSerdes.valueSerde(Topics.TRAJECTORIES, registry).serializer();
        for (int i = 0; i < trajectories.size(); i++) {
          final Trajectory t = trajectories.get(i);
          producer.send(new ProducerRecord<>(Topics.TRAJECTORIES.name(), i / 2, bytes(t.getTaskId()),
              ser.serialize(Topics.TRAJECTORIES.name(), t))).get();
        }
        final Trajectory noRollout = Trajectories.of("", run + "/task9", "p", "");
        producer.send(new ProducerRecord<>(Topics.TRAJECTORIES.name(), 3, bytes(run + "/task9"),
            ser.serialize(Topics.TRAJECTORIES.name(), noRollout))).get();
        producer.send(new ProducerRecord<>(Topics.TRAJECTORIES.name(), 4, bytes(run + "/junk"),
            bytes("not a trajectory"))).get();

        // The scores of the two other tasks arrive while the first request is still unanswered.
        Awaitility.await().atMost(DEADLINE).until(() -> held.get() != null);
        final String heldTask = held.get().substring(0, held.get().lastIndexOf("/run-1/"));
        final Map<String, List<JudgeScore>> early = records.readUntil(Topics.SCORES_JUDGE, run, DEADLINE,
            m -> m.keySet().stream().filter(k -> !k.equals(heldTask)).mapToInt(k -> m.get(k).size()).sum() == 4);
        assertFalse(early.containsKey(heldTask), "the held task has no score yet: " + early.keySet());
        release.countDown();

        final Map<String, List<JudgeScore>> scores = records.readUntil(Topics.SCORES_JUDGE, run, DEADLINE,
            m -> m.values().stream().mapToInt(List::size).sum() >= 6);
        final Map<String, List<DeadLetter>> letters = records.readUntil(Topics.dlqOf(Topics.TRAJECTORIES), run,
            DEADLINE, m -> m.values().stream().mapToInt(List::size).sum() >= 2);
        Awaitility.await().atMost(DEADLINE).until(() -> worker.committed() == 8);

        assertTrue(server.maxInFlight() >= 2, "judged side by side, max in flight " + server.maxInFlight());
        assertEquals(6, server.requestCount(), "one judge call per candidate");
        final List<String> asked = server.requests().stream().map(JudgeWorkerIT::candidateOf).toList();
        assertEquals(held.get(), asked.get(0));
        final Map<String, JudgeScore> byCandidate = new LinkedHashMap<>();
        scores.forEach((task, list) -> list.forEach(s -> {
          assertEquals(task, s.getTaskId(), "keyed by the task of its candidate");
          assertTrue(byCandidate.put(s.getCandidateId(), s) == null, "one score per candidate");
        }));
        assertEquals(pYes.keySet(), byCandidate.keySet());
        pYes.forEach((candidate, p) -> {
          final JudgeScore s = byCandidate.get(candidate);
          assertEquals(p, s.getPYes(), 1e-9, candidate);
          assertEquals(Verdict.SOURCE_LOGPROBS, s.getSource());
          assertEquals(p >= 0.5 ? GradeStatus.PASS : GradeStatus.FAIL, s.getStatus());
          assertEquals(PROMPT_TOKENS, s.getPromptTokens());
        });

        final DeadLetter blank = letters.get(run + "/task9").get(0);
        assertEquals(JudgeWorker.STAGE, blank.getStage());
        assertTrue(blank.getErrorMessage().contains("has no rollout id"), blank.getErrorMessage());
        final DeadLetter junk = letters.get(run + "/junk").get(0);
        assertEquals(Topics.TRAJECTORIES.name(), junk.getSourceTopic());
        assertTrue(junk.getErrorMessage().contains("cannot deserialize Trajectory"), junk.getErrorMessage());

        // Scraped while the worker runs: its Kafka client meters are bound for as long as its clients live.
        final String after = Scrape.fetch(metrics.url());
        final Map<String, String> judge = Map.of(MeterNames.COMPONENT, JudgeWorker.STAGE);
        assertEquals(6.0, delta(before, after, "r2e_records_processed_total",
            Map.of(MeterNames.COMPONENT, JudgeWorker.STAGE, MeterNames.TOPIC, Topics.TRAJECTORIES.name())), after);
        assertEquals(2.0, delta(before, after, "r2e_records_failed_total", judge), after);
        assertEquals(2.0, delta(before, after, "r2e_records_failed_total", Map.of(MeterNames.COMPONENT,
            JudgeWorker.STAGE, MeterNames.REASON, "IllegalArgumentException")), "both are rejected as bad input");
        assertEquals(8.0, delta(before, after, "r2e_job_duration_seconds_count", judge), "every record is timed");
        assertEquals(6.0, delta(before, after, "r2e_judge_call_duration_seconds_count", Map.of()), after);
        final double scoredPromptTokens = byCandidate.values().stream().mapToInt(JudgeScore::getPromptTokens).sum();
        assertEquals(server.requestCount() * (double) PROMPT_TOKENS, scoredPromptTokens);
        assertEquals(scoredPromptTokens, delta(before, after, "r2e_llm_tokens_total",
            Map.of(MeterNames.ROLE, MeterNames.ROLE_JUDGE, MeterNames.KIND, MeterNames.KIND_PROMPT)), after);
        assertEquals(server.requestCount() * (double) COMPLETION_TOKENS, delta(before, after, "r2e_llm_tokens_total",
            Map.of(MeterNames.ROLE, MeterNames.ROLE_JUDGE, MeterNames.KIND, MeterNames.KIND_COMPLETION)), after);
        assertEquals(6.0, delta(before, after, "r2e_llm_call_duration_seconds_count",
            Map.of(MeterNames.ROLE, MeterNames.ROLE_JUDGE, MeterNames.OUTCOME, MeterNames.OUTCOME_SUCCESS)), after);
        assertTrue(Scrape.value(after, "kafka_consumer_fetch_manager_records_consumed_total",
            Map.of("client_id", JudgeWorker.STAGE)) >= 8, "the worker's consumer meters are bound");
      }
    }
  }

  private static double delta(final String before, final String after, final String name,
      final Map<String, String> labels) {
    return Scrape.value(after, name, labels) - Scrape.value(before, name, labels);
  }

  private static String candidateOf(final RecordedRequest request) {
    final Matcher m = CANDIDATE.matcher(request.lastMessageContent());
    if (!m.find()) {
      throw new IllegalStateException("request #" + request.index() + " names no candidate");
    }
    return m.group(1);
  }

  private static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

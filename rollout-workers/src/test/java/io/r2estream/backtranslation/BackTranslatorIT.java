package io.r2estream.backtranslation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.config.ConfigKeys;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.llm.LlmClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.testkit.llm.RecordedRequest;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import io.r2estream.topics.Topics;
import io.r2estream.workers.AvroTopicRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The back-translation worker on a real broker with a scripted LLM over HTTP: validations in, statements out (LLM
 * issues with token counts, commit-message fallbacks), other statuses skipped, garbage dead-lettered, offsets
 * committed so that the group's next member does not redo the work.
 */
class BackTranslatorIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** Keys of this run: records of other runs (none today) are ignored by the readers. */
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String registry = "mock://backtranslator-it-" + run;
  private final AvroTopicRecords records = new AvroTopicRecords(KAFKA::bootstrapServers, registry);
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private KafkaProducer<byte[], byte[]> producer;
  private Serializer<EnvValidation> validationSerializer;

  @BeforeEach
  void clients() {
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
        new ByteArraySerializer(), new ByteArraySerializer());
    validationSerializer = R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, registry).serializer();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    producer.close();
  }

  @Test
  void writesLlmIssuesFallsBackSkipsDeadLettersAndCommits() throws Exception {
    // Expected: two LLM issues, one fallback (garbage completion), no statement for the NOT_BETTER one,
    // one dead letter; then, after a restart of the group, only the new validation is processed.
    final String good1 = run + "/acme@1";
    final String good2 = run + "/acme@2";
    final String garbage = run + "/acme@garbage";
    final String notBetter = run + "/acme@worse";
    final String junkKey = run + "/junk";
    final ScriptedLlmServer server = closing(ScriptedLlmServer.start());
    server.otherwise(BackTranslatorIT::answer);
    final String group = "bt-it-" + run;

    // 1. start a worker and pipe input
    final BackTranslator worker = worker(server, group, 2, Map.of());
    publish(good1, Validations.better(good1));
    publish(good2, Validations.better(good2));
    publish(garbage, Validations.better(garbage));
    publish(notBetter, Validations.validation(notBetter, ValidationStatus.NEW_COMMIT_NOT_BETTER, "meh"));
    producer.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), bytes(junkKey), bytes("not avro at all")))
        .get();

    // 2. statements and dead letters come out
    final Map<String, List<ProblemStatement>> statements = records.readUntil(Topics.PROBLEM_STATEMENTS, run, DEADLINE,
        m -> m.keySet().containsAll(List.of(good1, good2, garbage)));
    final Map<String, List<DeadLetter>> letters = records.readUntil(Topics.dlqOf(Topics.ENV_VALIDATIONS), run, DEADLINE,
        m -> m.containsKey(junkKey));

    // 3. assert
    for (final String good : List.of(good1, good2)) {
      final ProblemStatement s = statements.get(good).get(0);
      assertEquals(ProblemStatements.SOURCE_LLM, s.getSource(), s.getDetail());
      assertEquals("Title: durations for " + good + " are wrong", s.getProblemStatement());
      assertEquals(1500, s.getPromptTokens());
      assertEquals(250, s.getCompletionTokens());
      assertEquals("scripted-model", s.getModel());
    }
    final ProblemStatement fallback = statements.get(garbage).get(0);
    assertEquals(ProblemStatements.SOURCE_COMMIT_MESSAGE, fallback.getSource());
    assertEquals(Validations.MESSAGE + "\nTASK " + garbage, fallback.getProblemStatement());
    assertTrue(fallback.getDetail().startsWith("LLM completion has no [ISSUE] block"), fallback.getDetail());
    final DeadLetter letter = letters.get(junkKey).get(0);
    assertEquals(Topics.ENV_VALIDATIONS.name(), letter.getSourceTopic());
    assertEquals(BackTranslator.STAGE, letter.getStage());
    assertArrayEquals(bytes("not avro at all"), remaining(letter.getValue()));
    assertTrue(letter.getErrorMessage().contains("too short") || letter.getErrorMessage().contains("magic byte"),
        letter.getErrorMessage());
    assertEquals(List.of(good1, good2, garbage).stream().sorted().toList(), promptedTasks(server));
    assertTrue(!statements.containsKey(notBetter), "a NOT_BETTER validation gets no statement");
    assertTrue(server.maxInFlight() <= 2, "at most max-concurrency calls at once, saw " + server.maxInFlight());

    // 4. offsets are committed once the outputs are acknowledged
    Awaitility.await().atMost(DEADLINE).until(() -> committedCount(group) == 5);
    final BackTranslatorStats stats = worker.stats();
    assertEquals(2, stats.fromLlm());
    assertEquals(1, stats.fallbacks());
    assertEquals(1, stats.skipped());
    assertEquals(1, stats.deadLettered());
    worker.close();

    // 5. a second member of the group after close() gets only what is new. Its LLM answers take 1.5 s each, one
    // at a time, against a max.poll.interval.ms of 1 s: a worker that stopped polling during its batch would be
    // dropped from the group, fail its commit and redo the batch (more LLM calls, duplicate statements).
    final String slow1 = run + "/acme@slow1";
    final String slow2 = run + "/acme@slow2";
    publish(slow1, Validations.better(slow1));
    publish(slow2, Validations.better(slow2));
    final ScriptedLlmServer slowServer = closing(ScriptedLlmServer.start());
    slowServer.otherwise(BackTranslatorIT::answer);
    final BackTranslator second = worker(slowServer, group, 1,
        Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1000));
    final Map<String, List<ProblemStatement>> after = records.readUntil(Topics.PROBLEM_STATEMENTS, run, DEADLINE,
        m -> m.keySet().containsAll(List.of(slow1, slow2)));
    Awaitility.await().atMost(DEADLINE).until(() -> committedCount(group) == 7);
    second.close();

    assertEquals(Map.of(good1, 1, good2, 1, garbage, 1, slow1, 1, slow2, 1), after.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())), "nothing was redone");
    assertEquals(3, server.requestCount());
    assertEquals(List.of(slow1, slow2), promptedTasks(slowServer));
    assertEquals(2, second.stats().fromLlm());
    assertEquals(1, slowServer.maxInFlight(), "the second worker's limit of one call at a time was kept");
  }

  /** The LLM: a proper issue, except for tasks named "garbage", which get a completion without one. */
  private static ScriptedReply answer(final RecordedRequest request) {
    final String prompt = request.lastMessageContent();
    if (prompt.contains("acme@garbage")) {
      return ScriptedReply.completion("Sorry, I lost track of what I was doing.");
    }
    final String task = prompt.lines().filter(l -> l.startsWith("TASK ")).findFirst().orElseThrow().substring(5);
    return ScriptedReply.completion("Thinking...\n[ISSUE]\nTitle: durations for " + task + " are wrong\n[/ISSUE]")
        .usage(1500, 250).edit(b -> b.put("model", "scripted-model"))
        .delayed(task.contains("@slow") ? Duration.ofMillis(1500) : Duration.ZERO);
  }

  /** The task ids the LLM was asked about, from the commit messages of the prompts it received. */
  private static List<String> promptedTasks(final ScriptedLlmServer server) {
    return server.requests().stream().map(RecordedRequest::lastMessageContent)
        .map(p -> p.lines().filter(l -> l.startsWith("TASK ")).findFirst().orElse("?").substring(5)).sorted()
        .toList();
  }

  private BackTranslator worker(final ScriptedLlmServer server, final String group, final int concurrency,
      final Map<String, Object> consumerOverrides) {
    final BackTranslatorSettings settings = BackTranslatorSettings.from(Map.of(
        ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(), ConfigKeys.REGISTRY_URL, registry,
        ConfigKeys.BACKTRANSLATION_GROUP_ID, group, ConfigKeys.LLM_BASE_URL, server.baseUrl(),
        ConfigKeys.LLM_MAX_CONCURRENCY, Integer.toString(concurrency), ConfigKeys.LLM_MAX_RETRIES, "0"), Map.of());
    final LlmClient llm = new LlmClient(settings.llm());
    return closing(new BackTranslator(settings, Optional.of(llm), Clock.systemUTC(), consumerOverrides).start());
  }

  /** Publishes a validation whose commit message names its task, so the scripted LLM can tell prompts apart. */
  private void publish(final String task, final EnvValidation v) throws Exception {
    v.getCandidate().setCommitMessage(v.getCandidate().getCommitMessage() + "\nTASK " + task);
    producer.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), bytes(task),
        validationSerializer.serialize(Topics.ENV_VALIDATIONS.name(), v))).get();
  }

  /** Records of the validations topic the group has committed (the topic holds only this test's records). */
  private static long committedCount(final String group) throws Exception {
    try (Admin admin = KAFKA.admin()) {
      final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      return committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  private <T extends AutoCloseable> T closing(final T resource) {
    toClose.add(resource);
    return resource;
  }

  private static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] remaining(final java.nio.ByteBuffer buf) {
    final byte[] out = new byte[buf.remaining()];
    buf.duplicate().get(out);
    return out;
  }
}

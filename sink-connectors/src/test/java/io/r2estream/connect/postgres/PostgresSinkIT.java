package io.r2estream.connect.postgres;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.EnvironmentRef;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.connect.SinkMeters;
import io.r2estream.embedded.EmbeddedConnectWorker;
import io.r2estream.embedded.EmbeddedPostgresServer;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.embedded.Ports;
import io.r2estream.embedded.registry.EmbeddedSchemaRegistry;
import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.serde.Subjects;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink in a real Connect worker, reading real Avro records from a real broker (schemas in the embedded registry)
 * into a real PostgreSQL: rows and their values, idempotent re-delivery, a schema evolved with a new field, a
 * tombstone, and a corrupt value on the dead-letter topic with its reason while the good records still land.
 */
class PostgresSinkIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir
  static Path dir;

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String TASK = "acme/widgets@0123456789abcdef0123456789abcdef01234567";
  private static final Instant T0 = Instant.parse("2026-11-21T10:15:30.123Z");

  private static EmbeddedSchemaRegistry registry;
  private static EmbeddedPostgresServer postgres;
  private static EmbeddedConnectWorker connect;

  @BeforeAll
  static void start() throws Exception {
    registry = EmbeddedSchemaRegistry.start(KAFKA.bootstrapServers(), 0);
    postgres = EmbeddedPostgresServer.start(dir.resolve("pg"), 0);
    final Map<String, String> worker = EmbeddedConnectWorker.workerProps(
        Map.of("bootstrap.servers", KAFKA.bootstrapServers()), dir, Ports.free());
    worker.put("offset.flush.interval.ms", "500");
    connect = EmbeddedConnectWorker.start(worker);
    connect.putConnector(PostgresSinkConfig.DEFAULT_CONNECTOR_NAME, PostgresSinkConfig.connectorConfig(
        postgres.jdbcUrl(), postgres.username(), postgres.password(), registry.url(), (short) 1));
  }

  @AfterAll
  static void stop() {
    if (connect != null) {
      connect.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void storesRecordsIdempotentlyEvolvesTablesAndDeadLettersCorruptValues() throws Exception {
    // The worker runs in this JVM, so the sink's meters are in this process's registry (also served on /metrics).
    final Map<String, Double> processedBefore = SinkMeters.processedByTopic(
        PostgresSinkTask.COMPONENT);
    final double failedBefore = SinkMeters.failed(PostgresSinkTask.COMPONENT);

    // 1. records of six topics land as rows with their values
    final long firstRunOffset = sendAll();
    awaitRows("SELECT count(*) FROM r2e.rankings", 1);
    awaitRows("SELECT count(*) FROM r2e.tasks", 1);
    awaitRows("SELECT count(*) FROM r2e.trajectories", 2);
    awaitRows("SELECT count(*) FROM r2e.candidates", 2);
    awaitRows("SELECT count(*) FROM r2e.scores_test", 2);
    awaitRows("SELECT count(*) FROM r2e.scores_judge", 3);
    try (Connection c = db(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT repo, created_at, fail_to_pass->>1, environment->>'image', "
          + "source_url, num_non_test_files, kafka_key FROM r2e.tasks")) {
        assertTrue(rs.next());
        assertEquals("acme/widgets", rs.getString(1));
        assertEquals(T0, rs.getObject(2, OffsetDateTime.class).toInstant(), "timestamp-millis is a timestamptz");
        assertEquals("tests/test_b.py::test_two", rs.getString(3));
        assertEquals("r2e-env/widgets:abc", rs.getString(4));
        assertNull(rs.getString(5));
        assertEquals(3, rs.getInt(6));
        assertEquals(TASK, rs.getString(7));
      }
      try (ResultSet rs = s.executeQuery("SELECT jsonb_array_length(steps), steps->1->>'action', "
          + "steps->1->'info'->>'tool', (steps->0->>'done')::boolean, reward, prompt_tokens FROM r2e.trajectories "
          + "WHERE rollout_id = '" + TASK + "/run-1/1'")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1), "steps are a jsonb array");
        assertEquals("<function=finish>\n</function>", rs.getString(2));
        assertEquals("finish", rs.getString(3));
        assertEquals(false, rs.getBoolean(4));
        assertEquals(1.0, rs.getDouble(5));
        assertEquals(1234L, rs.getLong(6));
      }
      try (ResultSet rs = s.executeQuery("SELECT status, test_score, reproduction_scores::text FROM r2e.scores_test "
          + "WHERE candidate_id = '" + TASK + "/run-1/1'")) {
        assertTrue(rs.next());
        assertEquals("PASS", rs.getString(1));
        assertEquals(0.75, rs.getDouble(2));
        assertEquals("[1.0, 0.0]", rs.getString(3));
      }
      try (ResultSet rs = s.executeQuery("SELECT model, p_yes FROM r2e.scores_judge WHERE candidate_id = '" + TASK
          + "/run-1/0' ORDER BY model")) {
        assertTrue(rs.next());
        assertEquals("judge-a", rs.getString(1));
        assertEquals(0.9, rs.getDouble(2));
        assertTrue(rs.next(), "judge rows are keyed by candidate and model");
        assertEquals("judge-b", rs.getString(1));
      }
      try (ResultSet rs = s.executeQuery("SELECT best_candidate_id, candidates->0->>'candidate_id', k, "
          + "selection_resolves FROM r2e.rankings")) {
        assertTrue(rs.next());
        assertEquals(TASK + "/run-1/1", rs.getString(1));
        assertEquals(TASK + "/run-1/1", rs.getString(2));
        assertEquals(2, rs.getInt(3));
        assertTrue(rs.getBoolean(4));
      }
    }

    final Map<String, Double> sentPerRun = Map.of(Topics.TASKS.name(), 1.0, Topics.TRAJECTORIES.name(), 2.0,
        Topics.CANDIDATES.name(), 2.0, Topics.SCORES_TEST.name(), 2.0, Topics.SCORES_JUDGE.name(), 3.0,
        Topics.RANKINGS.name(), 1.0);
    await().atMost(DEADLINE).untilAsserted(() -> sentPerRun.forEach((topic, n) -> assertEquals(n,
        SinkMeters.processedByTopic(PostgresSinkTask.COMPONENT).getOrDefault(topic, 0.0)
            - processedBefore.getOrDefault(topic, 0.0),
        "r2e.records.processed of " + topic)));

    // 2. the same records again: rows are overwritten (their offsets move on), none is added
    final long secondRunOffset = sendAll();
    assertTrue(secondRunOffset > firstRunOffset);
    for (final String table : List.of("tasks", "trajectories", "candidates", "scores_test", "scores_judge",
        "rankings")) {
      awaitRows("SELECT count(*) FROM r2e." + table + " WHERE kafka_offset < " + firstRunOffsetOf(table), 0);
    }
    assertEquals(1, count("SELECT count(*) FROM r2e.tasks"));
    assertEquals(2, count("SELECT count(*) FROM r2e.trajectories"));
    assertEquals(2, count("SELECT count(*) FROM r2e.candidates"));
    assertEquals(2, count("SELECT count(*) FROM r2e.scores_test"));
    assertEquals(3, count("SELECT count(*) FROM r2e.scores_judge"));
    assertEquals(1, count("SELECT count(*) FROM r2e.rankings"));

    // 3. a producer with a newer candidate schema (one more field, with a default): the column appears with the value
    final Schema evolved = evolvedCandidateSchema();
    final GenericRecord newer = new GenericData.Record(evolved);
    final CandidatePatch base = candidate(7);
    for (final Schema.Field f : CandidatePatch.getClassSchema().getFields()) {
      newer.put(f.name(), f.name().equals("created_at") ? base.getCreatedAt().toEpochMilli() : base.get(f.pos()));
    }
    newer.put("review_tokens", 4096L);
    try (KafkaProducer<String, byte[]> raw = rawProducer()) {
      raw.send(new ProducerRecord<>(Topics.CANDIDATES.name(), TASK, wireFormat(Topics.CANDIDATES, newer))).get();
      // 4. a corrupt value, then a good record behind it on the same partition
      raw.send(new ProducerRecord<>(Topics.CANDIDATES.name(), TASK,
          "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8))).get();
    }
    try (KafkaProducer<String, SpecificRecord> p = producer()) {
      send(p, Topics.CANDIDATES, candidate(8));
      // 5. a tombstone deletes the task's row
      p.send(new ProducerRecord<>(Topics.TASKS.name(), TASK, null)).get();
    }
    awaitRows("SELECT count(*) FROM r2e.candidates WHERE candidate_id = '" + TASK + "/run-1/8'", 1);
    assertEquals(4096L, count("SELECT review_tokens FROM r2e.candidates WHERE candidate_id = '" + TASK
        + "/run-1/7'"), "the evolved field became a column holding the value");
    assertEquals(0L, count("SELECT count(*) FROM r2e.candidates WHERE review_tokens IS NOT NULL AND candidate_id <> '"
        + TASK + "/run-1/7'"), "older rows have no value in the new column");
    awaitRows("SELECT count(*) FROM r2e.tasks", 0);

    final ConsumerRecord<byte[], byte[]> dead = awaitDeadLetter();
    assertEquals("{\"not\":\"avro\"}", new String(dead.value(), StandardCharsets.UTF_8), "original bytes kept");
    assertEquals(TASK, new String(dead.key(), StandardCharsets.UTF_8));
    assertEquals(Topics.CANDIDATES.name(), header(dead, "__connect.errors.topic"));
    final String reason = header(dead, "__connect.errors.exception.message");
    assertTrue(reason.contains("not the Confluent magic byte 0"), reason);
    assertEquals(1.0, SinkMeters.failed(PostgresSinkTask.COMPONENT) - failedBefore,
        "r2e.records.failed counts the dead-lettered value");
  }

  // ---------------------------------------------------------------------------------------------------------------

  private final Map<String, Long> firstOffsets = new HashMap<>();

  private long firstRunOffsetOf(final String table) {
    return firstOffsets.get(table);
  }

  /** Sends one task, two trajectories, two candidates, two test scores, three judge scores and a ranking. */
  private long sendAll() throws Exception {
    long last = -1;
    final boolean first = firstOffsets.isEmpty();
    try (KafkaProducer<String, SpecificRecord> p = producer()) {
      final Map<String, Long> maxOffsets = new HashMap<>();
      final List<Object[]> sent = new ArrayList<>();
      sent.add(new Object[] {"tasks", send(p, Topics.TASKS, task())});
      for (int sample = 0; sample < 2; sample++) {
        sent.add(new Object[] {"trajectories", send(p, Topics.TRAJECTORIES, trajectory(sample))});
        sent.add(new Object[] {"candidates", send(p, Topics.CANDIDATES, candidate(sample))});
        sent.add(new Object[] {"scores_test", send(p, Topics.SCORES_TEST, testScore(sample))});
        sent.add(new Object[] {"scores_judge", send(p, Topics.SCORES_JUDGE, judge(sample, "judge-a"))});
      }
      sent.add(new Object[] {"scores_judge", send(p, Topics.SCORES_JUDGE, judge(0, "judge-b"))});
      sent.add(new Object[] {"rankings", send(p, Topics.RANKINGS, ranking())});
      for (final Object[] s : sent) {
        maxOffsets.merge((String) s[0], (Long) s[1], Math::max);
        last = Math.max(last, (Long) s[1]);
      }
      if (first) {
        // After a re-send every row must come from an offset past the first run's largest of its topic.
        maxOffsets.forEach((t, o) -> firstOffsets.put(t, o + 1));
      }
    }
    return last;
  }

  private static <V extends SpecificRecord> long send(final KafkaProducer<String, SpecificRecord> p,
      final TopicSpec<V> topic, final V value) throws Exception {
    return p.send(new ProducerRecord<>(topic.name(), TASK, value)).get().offset();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static KafkaProducer<String, SpecificRecord> producer() {
    final Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    // One serializer for every topic: the generated class of the value picks the schema and the subject the topic.
    final org.apache.kafka.common.serialization.Serializer values =
        R2eSerdes.valueSerde((TopicSpec) Topics.TASKS, registry.url()).serializer();
    return new KafkaProducer<String, SpecificRecord>(props, new StringSerializer(), values);
  }

  private static KafkaProducer<String, byte[]> rawProducer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** What a producer built against a newer CandidatePatch schema writes: registered, then wire format. */
  private static byte[] wireFormat(final TopicSpec<?> topic, final GenericRecord value) throws Exception {
    final int id;
    try (SchemaRegistryClient client = SchemaRegistryClients.forUrl(registry.url(), Map.of())) {
      id = client.register(Subjects.of(topic.name(), false), value.getSchema());
    }
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    final BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(value.getSchema()).write(value, enc);
    enc.flush();
    return out.toByteArray();
  }

  private static Schema evolvedCandidateSchema() {
    final String v1 = CandidatePatch.getClassSchema().toString();
    final String extra = ",{\"name\":\"review_tokens\",\"type\":\"long\",\"default\":0}]";
    final int end = v1.lastIndexOf(']');
    return new Schema.Parser().parse(v1.substring(0, end) + extra + v1.substring(end + 1));
  }

  private static ConsumerRecord<byte[], byte[]> awaitDeadLetter() {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(PostgresSinkConfig.DEFAULT_DLQ_TOPIC));
      final List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      await().atMost(DEADLINE).until(() -> {
        consumer.poll(Duration.ofMillis(500)).forEach(got::add);
        return !got.isEmpty();
      });
      assertEquals(1, got.size(), "only the corrupt value is dead-lettered");
      return got.get(0);
    }
  }

  private static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
    final Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static Connection db() throws SQLException {
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
  }

  private static long count(final String sql) throws SQLException {
    try (Connection c = db(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }

  /** Waits until the query counts {@code expected}; the table may not exist yet at first. */
  private static void awaitRows(final String countSql, final long expected) {
    await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(SQLException.class)
        .until(() -> count(countSql) == expected);
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static TaskInstance task() {
    return TaskInstance.newBuilder().setInstanceId(TASK).setRepo("acme/widgets")
        .setBaseCommit("fedcba9876543210fedcba9876543210fedcba98").setPatch("--- a/w.py\n+++ b/w.py\n")
        .setTestPatch("").setFAILTOPASS(List.of("tests/test_a.py::test_one", "tests/test_b.py::test_two"))
        .setProblemStatement("Widgets overflow when \"count\" is negative.").setCreatedAt(T0)
        .setEnvironment(EnvironmentRef.newBuilder().setImage("r2e-env/widgets:abc").setTestCommand("pytest").build())
        .setCommitHash("0123456789abcdef0123456789abcdef01234567").setNumNonTestFiles(3).build();
  }

  private static Trajectory trajectory(final int sample) {
    final String rollout = TASK + "/run-1/" + sample;
    final List<TrajectoryStep> steps = List.of(
        TrajectoryStep.newBuilder().setRolloutId(rollout).setTaskId(TASK).setStepIdx(0).setThought("look")
            .setAction("<function=search>\n<parameter=term>widget</parameter>\n</function>")
            .setObservation("w.py:3").build(),
        TrajectoryStep.newBuilder().setRolloutId(rollout).setTaskId(TASK).setStepIdx(1).setAction(
            "<function=finish>\n</function>").setDone(true).setInfo(Map.of("tool", "finish")).build());
    return Trajectory.newBuilder().setRolloutId(rollout).setTaskId(TASK).setRunId("run-1").setSample(sample)
        .setModel("m").setSteps(steps).setExitReason("submitted").setReward(sample == 1 ? 1.0 : 0.0)
        .setPromptTokens(1234L).setStartedAt(T0).setFinishedAt(T0.plusSeconds(60)).build();
  }

  private static CandidatePatch candidate(final int sample) {
    return CandidatePatch.newBuilder().setCandidateId(TASK + "/run-1/" + sample).setTaskId(TASK).setRunId("run-1")
        .setSample(sample).setPatch("diff " + sample).setCreatedAt(T0.plusSeconds(sample)).build();
  }

  private static TestScore testScore(final int sample) {
    return TestScore.newBuilder().setCandidateId(TASK + "/run-1/" + sample).setTaskId(TASK)
        .setStatus(sample == 1 ? GradeStatus.PASS : GradeStatus.FAIL).setTestScore(sample == 1 ? 0.75 : 0.25)
        .setReproductionScores(List.of(1.0, 0.0)).setScoredAt(T0.plusSeconds(90)).build();
  }

  private static JudgeScore judge(final int sample, final String model) {
    return JudgeScore.newBuilder().setCandidateId(TASK + "/run-1/" + sample).setTaskId(TASK).setModel(model)
        .setPYes(sample == 0 ? 0.9 : 0.4).setStatus(GradeStatus.PASS).setScoredAt(T0.plusSeconds(120)).build();
  }

  private static HybridRanking ranking() {
    return HybridRanking.newBuilder().setTaskId(TASK).setCandidates(List.of(
            RankedCandidate.newBuilder().setCandidateId(TASK + "/run-1/1").setRank(1).setHybridScore(1.0).build(),
            RankedCandidate.newBuilder().setCandidateId(TASK + "/run-1/0").setRank(2).setHybridScore(0.5).build()))
        .setBestCandidateId(TASK + "/run-1/1").setUpdatedAt(T0.plusSeconds(200)).setMode("HYBRID").setK(2)
        .setSelectionResolves(true).build();
  }
}

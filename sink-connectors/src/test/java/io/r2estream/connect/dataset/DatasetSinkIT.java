package io.r2estream.connect.dataset;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.connect.SinkMeters;
import io.r2estream.embedded.EmbeddedConnectWorker;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The dataset sink in a real Connect standalone worker, reading Avro records from a real broker. */
class DatasetSinkIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String REGISTRY = "mock://dataset-sink-it";
  private static final String CONNECTOR = "dataset-sink-it";

  @TempDir
  Path tmp;

  @Test
  void writesTasksTrajectoriesAndRankingsAsDatasetRowsAndDeadLettersWhatCannotBeDecoded() throws Exception {
    // The worker runs in this JVM: the sink's meters are in this process's registry (served on /metrics).
    final Map<String, Double> processedBefore = SinkMeters.processedByTopic(
        DatasetSinkTask.COMPONENT);
    final double failedBefore = SinkMeters.failed(DatasetSinkTask.COMPONENT);
    // 1. arrange: a worker whose connector rolls files 300 ms after their first row
    final Path out = tmp.resolve("datasets");
    final Map<String, String> connector = new HashMap<>(DatasetSinkConfig.connectorConfig(out, REGISTRY,
        DatasetSinkConfig.DEFAULT_DLQ_TOPIC, (short) 1));
    connector.put(DatasetSinkConfig.ROLL_INTERVAL_MS_CONFIG, "300");
    connector.put(DatasetSinkConfig.PARQUET_ENABLED_CONFIG, "true");
    try (EmbeddedConnectWorker worker = EmbeddedConnectWorker.start(
        DatasetSinkWorkerMain.workerProps(KAFKA.bootstrapServers(), tmp.resolve("connect"), 500))) {
      worker.putConnector(CONNECTOR, connector);

      // 2. produce real Avro records, and one value that is not our wire format
      try (KafkaProducer<String, byte[]> producer = producer()) {
        final var tasks = R2eSerdes.valueSerde(Topics.TASKS, REGISTRY).serializer();
        final var trajectories = R2eSerdes.valueSerde(Topics.TRAJECTORIES, REGISTRY).serializer();
        final var rankings = R2eSerdes.valueSerde(Topics.RANKINGS, REGISTRY).serializer();
        for (final String id : List.of("acme/widgets@a1", "acme/widgets@b2")) {
          send(producer, Topics.TASKS.name(), id, tasks.serialize(Topics.TASKS.name(), DatasetSamples.task(id)));
          send(producer, Topics.RANKINGS.name(), id,
              rankings.serialize(Topics.RANKINGS.name(), DatasetSamples.ranking(id)));
        }
        final Trajectory text = DatasetSamples.trajectory("acme/widgets@a1/run-1/0", "acme/widgets@a1", "text");
        final Trajectory fc = DatasetSamples.trajectory("acme/widgets@b2/run-1/0", "acme/widgets@b2",
            "function_calling");
        for (final Trajectory t : List.of(text, fc)) {
          send(producer, Topics.TRAJECTORIES.name(), t.getTaskId(),
              trajectories.serialize(Topics.TRAJECTORIES.name(), t));
        }
        send(producer, Topics.TASKS.name(), "acme/widgets@bad", "not avro".getBytes(StandardCharsets.UTF_8));
      }

      // 3. assert: the rows in final files, the bad record in the DLQ with its reason, offsets committed
      await().atMost(Duration.ofSeconds(60)).until(() -> DatasetFiles.rows(out, Topics.TASKS.name()).size() == 2
          && DatasetFiles.rows(out, Topics.TRAJECTORIES.name()).size() == 2
          && DatasetFiles.rows(out, Topics.RANKINGS.name()).size() == 2);

      final Map<String, JsonNode> taskRows = byKey(DatasetFiles.rows(out, Topics.TASKS.name()), "instance_id");
      assertEquals(Set.of("acme/widgets@a1", "acme/widgets@b2"), taskRows.keySet());
      final JsonNode task = taskRows.get("acme/widgets@a1");
      assertEquals(new TreeSet<>(List.of("repo", "instance_id", "base_commit", "patch", "test_patch",
          "problem_statement", "hints_text", "created_at", "version", "FAIL_TO_PASS", "PASS_TO_PASS",
          "environment_setup_commit", "docker_image", "source", "problem_statement_source")), fieldNames(task));
      assertEquals("[\"tests/test_area.py::test_area\"]", task.get("FAIL_TO_PASS").asText(),
          "SWE-bench keeps the test lists as JSON strings");
      assertEquals("0parent", task.get("base_commit").asText());
      assertEquals("r2e-env/widgets:3f2a", task.get("docker_image").asText());

      final List<JsonNode> sft = DatasetFiles.rows(out, Topics.TRAJECTORIES.name());
      for (final JsonNode row : sft) {
        assertEquals(Set.of("messages"), fieldNames(row));
        final List<String> roles = new ArrayList<>();
        row.get("messages").forEach(m -> roles.add(m.get("role").asText()));
        assertEquals(List.of("system", "user", "assistant", "user", "assistant"), roles,
            "system, task, then per step the call and its observation; the last observation is dropped");
        assertEquals("Look at the code.\n\n<function=file_editor>view</function>",
            row.get("messages").get(2).get("content").asText());
        assertTrue(row.get("messages").get(1).get("content").asText().contains("area() adds its sides"));
      }
      assertTrue(!sft.get(0).get("messages").get(0).get("content").asText()
              .equals(sft.get(1).get("messages").get(0).get("content").asText()),
          "text and function-calling rollouts keep the system prompt they ran with");

      final Map<String, JsonNode> rankingRows = byKey(DatasetFiles.rows(out, Topics.RANKINGS.name()), "task_id");
      final JsonNode ranking = rankingRows.get("acme/widgets@b2");
      assertEquals("acme/widgets@b2/c1", ranking.get("best_candidate_id").asText());
      assertEquals(0.75, ranking.get("candidates").get(0).get("test_score").asDouble());
      assertTrue(ranking.get("candidates").get(1).get("test_score").isNull());
      assertEquals("2025-01-01T00:06:00Z", ranking.get("updated_at").asText());

      final ConsumerRecord<byte[], byte[]> dead = firstRecord(DatasetSinkConfig.DEFAULT_DLQ_TOPIC);
      assertEquals("not avro", new String(dead.value(), StandardCharsets.UTF_8));
      assertEquals(Topics.TASKS.name(), header(dead, "__connect.errors.topic"));
      final String reason = header(dead, "__connect.errors.exception.message");
      assertTrue(reason.contains("not the Confluent magic byte"), reason);
      final Map<String, Double> processed = SinkMeters.processedByTopic(
          DatasetSinkTask.COMPONENT);
      for (final String topic : List.of(Topics.TASKS.name(), Topics.TRAJECTORIES.name(), Topics.RANKINGS.name())) {
        assertEquals(2.0, processed.getOrDefault(topic, 0.0) - processedBefore.getOrDefault(topic, 0.0),
            "r2e.records.processed of " + topic);
      }
      assertEquals(1.0, SinkMeters.failed(DatasetSinkTask.COMPONENT) - failedBefore,
        "r2e.records.failed counts the dead-lettered value");

      // Parquet copies of the same rows.
      assertEquals(List.of("2"), ParquetCopiesTest.query("SELECT count(*) FROM read_parquet('" + out
          + "/r2e.tasks/*.parquet')"));
      assertEquals(List.of("5", "5"), ParquetCopiesTest.query("SELECT len(messages) FROM read_parquet('" + out
          + "/r2e.trajectories/*.parquet')"));
      assertEquals(List.of("acme/widgets@a1/c1", "acme/widgets@b2/c1"), ParquetCopiesTest.query(
          "SELECT best_candidate_id FROM read_parquet('" + out + "/r2e.rankings/*.parquet') ORDER BY 1"));

      // Every record, the dead-lettered one included, is covered by a final file, so all offsets get committed.
      final Map<String, Long> expected = Map.of(Topics.TASKS.name(), 3L, Topics.TRAJECTORIES.name(), 2L,
          Topics.RANKINGS.name(), 2L);
      await().atMost(Duration.ofSeconds(30)).until(() -> committedPerTopic().equals(expected));
    }
  }

  private static Map<String, Long> committedPerTopic() throws Exception {
    try (Admin admin = KAFKA.admin()) {
      final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
          .partitionsToOffsetAndMetadata().get();
      return offsets.entrySet().stream().filter(e -> e.getValue() != null).collect(Collectors.groupingBy(
          e -> e.getKey().topic(), Collectors.summingLong(e -> e.getValue().offset())));
    }
  }

  private static Map<String, JsonNode> byKey(final List<JsonNode> rows, final String field) {
    final Map<String, JsonNode> m = new HashMap<>();
    rows.forEach(r -> m.put(r.get(field).asText(), r));
    return m;
  }

  private static Set<String> fieldNames(final JsonNode row) {
    final Set<String> names = new TreeSet<>();
    row.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String header(final ConsumerRecord<byte[], byte[]> r, final String name) {
    final Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static ConsumerRecord<byte[], byte[]> firstRecord(final String topic) {
    final Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      final List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(got::add);
        return !got.isEmpty();
      });
      assertEquals(1, got.size(), "exactly one record could not be decoded");
      return got.get(0);
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer());
  }

  private static void send(final KafkaProducer<String, byte[]> producer, final String topic, final String key,
      final byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }
}

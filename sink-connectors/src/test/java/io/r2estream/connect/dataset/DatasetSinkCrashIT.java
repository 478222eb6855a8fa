package io.r2estream.connect.dataset;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.r2estream.embedded.EmbeddedConnectWorker;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.embedded.registry.EmbeddedSchemaRegistry;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: a worker process is killed (SIGKILL) with rows in a temp file and no offset ever
 * committed to Kafka; a new worker resumes from the final files alone, and the final files then hold every record
 * exactly once.
 */
class DatasetSinkCrashIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String CONNECTOR = "dataset-crash-it";
  private static final String TOPIC = Topics.TASKS.name();
  private static final String AVRO_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

  @TempDir
  Path tmp;

  private Process child;

  @AfterEach
  void killChild() {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
    }
  }

  @Test
  void aKilledWorkerNeitherLosesNorRepeatsRowsAfterRestart() throws Exception {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(KAFKA.bootstrapServers(), 0)) {
      // 1. arrange: files roll every 5 rows (never by time); the first worker never commits offsets to Kafka
      final Path out = tmp.resolve("datasets");
      final Map<String, String> connector = new HashMap<>(DatasetSinkConfig.connectorConfig(out, registry.url(),
          DatasetSinkConfig.DEFAULT_DLQ_TOPIC, (short) 1));
      connector.put("topics", TOPIC);
      connector.put(DatasetSinkConfig.ROLL_RECORDS_CONFIG, "5");
      connector.put(DatasetSinkConfig.ROLL_INTERVAL_MS_CONFIG, "3600000");
      child = startWorkerProcess(tmp.resolve("connect-1"), 3_600_000, connector);

      // 2. twelve tasks: two final files and two rows in the temp file, then SIGKILL
      produce(registry.url(), 0, 12);
      final Path temp = out.resolve(TOPIC).resolve(SegmentName.tempFileName(TOPIC, 0));
      await().atMost(Duration.ofSeconds(60)).until(() -> DatasetFiles.finals(out, TOPIC).size() == 2
          && Files.exists(temp) && Files.readAllLines(temp).size() == 2);
      assertEquals(Map.of(), committed(), "the killed worker committed nothing: only the files know the progress");
      child.destroyForcibly().waitFor();
      assertEquals(2, Files.readAllLines(temp).size(), "the crash left two unfinished rows behind");

      // 3. eight more tasks, a new worker (in this JVM, committing every 500 ms)
      produce(registry.url(), 12, 20);
      try (EmbeddedConnectWorker worker = EmbeddedConnectWorker.start(
          DatasetSinkWorkerMain.workerProps(KAFKA.bootstrapServers(), tmp.resolve("connect-2"), 500))) {
        worker.putConnector(CONNECTOR, connector);
        await().atMost(Duration.ofSeconds(90)).until(() -> DatasetFiles.finals(out, TOPIC).size() == 4);
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.valueOf(20).equals(committed().get(TP)));
      }

      // 4. assert: four files of five rows, offsets 0..19, every task exactly once and in order
      assertEquals(List.of(new SegmentName(TOPIC, 0, 0, 4), new SegmentName(TOPIC, 0, 5, 9),
              new SegmentName(TOPIC, 0, 10, 14), new SegmentName(TOPIC, 0, 15, 19)),
          DatasetFiles.finals(out, TOPIC).stream()
              .map(p -> SegmentName.parse(p.getFileName().toString()).orElseThrow()).toList());
      final List<String> ids = new ArrayList<>();
      for (final JsonNode row : DatasetFiles.rows(out, TOPIC)) {
        ids.add(row.get("instance_id").asText());
      }
      assertEquals(IntStream.range(0, 20).mapToObj(DatasetSinkCrashIT::id).toList(), ids);
      assertTrue(Files.notExists(temp), "a graceful stop leaves no temp file");
    }
  }

  private static String id(final int i) {
    return String.format("acme/widgets@t%02d", i);
  }

  private static void produce(final String registryUrl, final int from, final int to) throws Exception {
    final var tasks = R2eSerdes.valueSerde(Topics.TASKS, registryUrl).serializer();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()), new StringSerializer(),
        new ByteArraySerializer())) {
      for (int i = from; i < to; i++) {
        // One partition, so that the file boundaries and offsets are known in advance.
        producer.send(new ProducerRecord<>(TOPIC, 0, id(i), tasks.serialize(TOPIC, DatasetSamples.task(id(i)))))
            .get();
      }
    }
  }

  private static Map<TopicPartition, Long> committed() throws Exception {
    try (Admin admin = KAFKA.admin()) {
      final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("connect-" + CONNECTOR)
          .partitionsToOffsetAndMetadata().get();
      final Map<TopicPartition, Long> m = new HashMap<>();
      offsets.forEach((tp, o) -> {
        if (o != null) {
          m.put(tp, o.offset());
        }
      });
      return m;
    }
  }

  private Process startWorkerProcess(final Path stateDir, final long offsetFlushMs,
      final Map<String, String> connector) throws Exception {
    // Surefire's test class path (its booter jar only names it in a manifest), else this JVM's.
    final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        // The same Avro trusted packages as this JVM (see the surefire argLine).
        "-D" + AVRO_PACKAGES + "=" + System.getProperty(AVRO_PACKAGES, "io.r2estream"),
        "-cp", classPath, DatasetSinkWorkerMain.class.getName(),
        KAFKA.bootstrapServers(), stateDir.toString(), Long.toString(offsetFlushMs), CONNECTOR));
    connector.forEach((k, v) -> cmd.add(k + "=" + v));
    final File log = tmp.resolve("worker-process.log").toFile();
    final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("the worker process exited with " + p.exitValue() + ": "
            + Files.readString(log.toPath()));
      }
      return Files.readString(log.toPath()).contains(DatasetSinkWorkerMain.READY);
    });
    return p;
  }
}

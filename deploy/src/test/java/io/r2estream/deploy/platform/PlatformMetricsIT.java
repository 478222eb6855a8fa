package io.r2estream.deploy.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import io.r2estream.metrics.MeterNames;
import io.r2estream.streams.envgen.EnvGenerationTopology;
import io.r2estream.testkit.metrics.Scrape;
import io.r2estream.topics.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform process serves its Prometheus metrics: the endpoint is listed among the platform's endpoints, bound to
 * loopback, shows Kafka Streams and JVM meters, and counts a malformed commit that the env-generation topology
 * dead-letters as a failed record of that component.
 */
class PlatformMetricsIT {

  @TempDir
  Path dir;

  @Test
  void thePlatformEndpointShowsStreamsJvmAndDeadLetterMeters() throws Exception {
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(TestPlatforms.config(dir.resolve("data"),
        Map.of(ConfigKeys.CONNECT_ENABLED, false)), l -> { })) {
      final URI metrics = URI.create(platform.endpoints().get("metrics"));
      assertEquals("127.0.0.1", metrics.getHost());
      // The registry is the JVM's: compare with what it showed before this test's record.
      final Map<String, String> envGeneration = Map.of(MeterNames.COMPONENT, EnvGenerationTopology.STAGE);
      final double before = Scrape.value(Scrape.fetch(metrics), "r2e_records_failed_total", envGeneration);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(platform.kafkaClient(),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(Topics.COMMITS.name(), "metrics-probe".getBytes(StandardCharsets.UTF_8),
            "not an avro commit".getBytes(StandardCharsets.UTF_8))).get();
      }
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Scrape.value(Scrape.fetch(metrics),
          "r2e_records_failed_total", envGeneration) >= before + 1);
      final String scrape = Scrape.fetch(metrics);
      assertEquals(before + 1, Scrape.value(scrape, "r2e_records_failed_total", Map.of(MeterNames.COMPONENT,
          EnvGenerationTopology.STAGE, MeterNames.REASON, "SerializationException")), scrape);
      assertTrue(scrape.lines().anyMatch(l -> l.startsWith("kafka_stream_")), "Kafka Streams meters are bound");
      assertTrue(Scrape.has(scrape, "jvm_memory_used_bytes"), "JVM meters are bound");
    }
  }
}

package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.embedded.Ports;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.RepositorySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second platform process configured with the first one's Kafka, registry and PostgreSQL starts none of its own,
 * and its env-generation topology joins the same Kafka Streams application: together they decide every commit once.
 */
class ExternalServicesIT {

  @TempDir
  Path dir;

  @Test
  void aSecondProcessUsesTheExternalServicesAndSharesTheWork() {
    try (EmbeddedPlatform a = EmbeddedPlatform.start(
        TestPlatforms.config(dir.resolve("a"), Map.of(ConfigKeys.CONNECT_ENABLED, false)), l -> { })) {
      final Map<String, Object> second = new HashMap<>();
      second.put(ConfigKeys.DATA_DIR, dir.resolve("b").toString());
      second.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, a.bootstrapServers());
      second.put(ConfigKeys.REGISTRY_URL, a.registryUrl());
      second.put(ConfigKeys.JDBC_URL, a.jdbcUrl());
      second.put(ConfigKeys.CONNECT_ENABLED, false);
      second.put(ConfigKeys.HTTP_PORT, Ports.free());
      second.put(ConfigKeys.METRICS_PORT, 0);
      try (EmbeddedPlatform b = EmbeddedPlatform.start(PlatformConfig.load(second), l -> { })) {
        assertEquals(a.bootstrapServers(), b.bootstrapServers());
        assertEquals(a.registryUrl(), b.registryUrl());
        assertEquals(a.jdbcUrl(), b.jdbcUrl());
        assertFalse(Files.exists(dir.resolve("b/kafka")), "no broker of its own");
        assertFalse(Files.exists(dir.resolve("b/postgres")), "no database of its own");

        final Path repo = SampleProject.materialize(dir.resolve("sample"));
        final IngestRun.Result ingest = IngestRun.run(RepositorySource.local(repo).withId("sample/textkit"),
            CommitRange.head(), b.kafkaClient(), b.registryUrl());
        final Funnel funnel = FunnelCollector.collect(a.kafkaClient(), a.registryUrl(), ingest.keys(),
            Duration.ofMinutes(2), n -> { });

        assertEquals(24, ingest.keys().size());
        assertTrue(funnel.undecided().isEmpty(), "undecided: " + funnel.undecided());
        assertEquals(24, funnel.candidates().size() + funnel.rejections().size());
        assertEquals(0, funnel.deadLetters().size());
      }
    }
  }
}

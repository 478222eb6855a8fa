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

  /** One image, many roles: a process named for the dashboard alone runs the dashboard and nothing else. */
  @Test
  void aProcessRunsOnlyTheComponentsItNames() {
    try (EmbeddedPlatform a = EmbeddedPlatform.start(
        TestPlatforms.config(dir.resolve("a"), Map.of(ConfigKeys.CONNECT_ENABLED, false)), l -> { })) {
      final Map<String, Object> dashboardOnly = new HashMap<>();
      dashboardOnly.put(ConfigKeys.DATA_DIR, dir.resolve("b").toString());
      dashboardOnly.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, a.bootstrapServers());
      dashboardOnly.put(ConfigKeys.REGISTRY_URL, a.registryUrl());
      dashboardOnly.put(ConfigKeys.COMPONENTS, "dashboard");
      dashboardOnly.put(ConfigKeys.METRICS_PORT, 0);
      dashboardOnly.put(io.r2estream.dashboard.DashboardConfig.PORT, Ports.free());
      try (EmbeddedPlatform b = EmbeddedPlatform.start(PlatformConfig.load(dashboardOnly), l -> { })) {
        assertEquals(java.util.List.of("metrics", "kafka", "schema registry", "dashboard"),
            java.util.List.copyOf(b.endpoints().keySet()));
        assertFalse(Files.exists(dir.resolve("b/postgres")), "no database: this process hosts no Connect worker");
        assertFalse(Files.exists(dir.resolve("b/streams")), "no stream topologies");
      }

      final Map<String, Object> noRegistry = new HashMap<>(dashboardOnly);
      noRegistry.remove(ConfigKeys.REGISTRY_URL);
      noRegistry.put(ConfigKeys.COMPONENTS, "streams");
      final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> EmbeddedPlatform.start(PlatformConfig.load(noRegistry), l -> { }).close());
      assertTrue(e.getMessage().contains(ConfigKeys.REGISTRY_URL), e.getMessage());
    }
  }
}

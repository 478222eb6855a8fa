package io.r2estream.deploy.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded platform starts every component for real, and a restart on the same data directory keeps state. */
class EmbeddedPlatformIT {

  @TempDir
  Path dataDir;

  @Test
  void startsEveryComponentAndKeepsStateAcrossARestart() throws Exception {
    final PlatformConfig config = TestPlatforms.config(dataDir);
    final List<String> progress = new ArrayList<>();
    final Schema schema = new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"Probe\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    final int id;
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, progress::add)) {
      // 1. every component reported and answers
      assertEquals(List.of("metrics", "kafka", "schema registry", "postgresql", "kafka connect", "stream topologies", "back-translator",
          "judge workers", "http api"),
          progress.stream().map(l -> l.trim().split("\\s{2,}")[0]).toList());
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()))) {
        final Set<String> topics = admin.listTopics().names().get();
        assertTrue(topics.containsAll(Topics.all().stream().map(TopicSpec::name).toList()), topics.toString());
      }
      try (SchemaRegistryClient registry = SchemaRegistryClients.forUrl(platform.registryUrl(), Map.of())) {
        id = registry.register("probe-value", schema);
      }
      final String connectors = get(platform.endpoints().get("kafka connect") + "/connectors");
      assertTrue(connectors.contains("\"r2e-dataset-sink\"") && connectors.contains("\"r2e-postgres-sink\""),
          connectors);
      // Both sinks' connectors and tasks run on the platform's worker (their behaviour is tested in sink-connectors).
      for (final String name : java.util.List.of("r2e-dataset-sink", "r2e-postgres-sink")) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> get(
            platform.endpoints().get("kafka connect") + "/connectors/" + name + "/status").split("RUNNING", -1)
            .length == 3);
      }
      final String status = get(platform.endpoints().get("http api") + "/api/platform");
      assertTrue(status.contains(platform.bootstrapServers()), status);
      try (Connection c = DriverManager.getConnection(platform.jdbcUrl());
           Statement s = c.createStatement()) {
        s.execute("CREATE TABLE probe (v int)");
        s.execute("INSERT INTO probe VALUES (42)");
      }
    }

    // 2. second life on the same data directory: registry ids and database rows are still there
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, l -> { })) {
      try (SchemaRegistryClient registry = SchemaRegistryClients.forUrl(platform.registryUrl(), Map.of())) {
        assertEquals(schema, registry.getById(id));
        assertEquals(List.of("probe-value"), registry.subjects());
      }
      try (Connection c = DriverManager.getConnection(platform.jdbcUrl());
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT v FROM probe")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
    }
  }

  private static String get(final String url) throws Exception {
    final HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + " -> " + r.body());
    return r.body();
  }
}

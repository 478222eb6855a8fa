package io.r2estream.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.r2estream.config.ConfigKeys;
import io.r2estream.testkit.metrics.Scrape;
import io.r2estream.topics.DeadLetters;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint over real HTTP: what Prometheus reads, line by line. */
class MetricsServerTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void servesCountersTimersAndGaugesInThePrometheusTextFormat() throws Exception {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry)) {
      R2eMetrics.processed(registry, "r2e-test", "tasks").increment(3);
      R2eMetrics.failed(registry, "r2e-test", new IllegalArgumentException("bad")).increment();
      R2eMetrics.timer(registry, MeterNames.ROLLOUT_DURATION, MeterNames.OUTCOME, "submitted")
          .record(java.time.Duration.ofMillis(1500));
      R2eMetrics.level(registry, MeterNames.CONTAINERS_RUNNING, "running").addAndGet(2);
      // A second caller of the same gauge shares the value instead of registering a gauge nobody sees.
      R2eMetrics.level(registry, MeterNames.CONTAINERS_RUNNING, "running").decrementAndGet();

      final HttpResponse<String> r = get(server.url());
      assertEquals(200, r.statusCode());
      assertEquals(MetricsServer.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
      final String body = r.body();
      assertEquals(3.0, Scrape.value(body, "r2e_records_processed_total", Map.of("component", "r2e-test",
          "topic", "tasks")), body);
      assertEquals(1.0, Scrape.value(body, "r2e_records_failed_total", Map.of("component", "r2e-test",
          "reason", "IllegalArgumentException")), body);
      assertEquals(1.0, Scrape.value(body, "r2e_rollout_duration_seconds_count", Map.of("outcome", "submitted")));
      assertEquals(1.5, Scrape.value(body, "r2e_rollout_duration_seconds_sum", Map.of("outcome", "submitted")), 1e-9);
      assertEquals(1.0, Scrape.value(body, "r2e_containers_running", Map.of()));
      assertTrue(body.contains("# TYPE r2e_records_processed_total counter"), body);
      assertTrue(server.url().toString().startsWith("http://127.0.0.1:"), server.url().toString());

      assertEquals(404, get(URI.create("http://127.0.0.1:" + server.port() + "/metricsx")).statusCode());
      assertEquals(405, HTTP.send(HttpRequest.newBuilder(server.url()).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
  }

  @Test
  void theProcessRegistryCountsDeadLettersAndJvmMeters() throws Exception {
    try (MetricsServer server = MetricsServer.startIfEnabled(new MetricsSettings(true, "127.0.0.1", 0)).orElseThrow()) {
      final Map<String, String> tags = Map.of("component", "metrics-test-stage", "reason", "IllegalStateException");
      final double before = Scrape.value(get(server.url()).body(), "r2e_records_failed_total", tags);
      DeadLetters.of("t", 0, 1L, "k", new byte[] {1}, "metrics-test-stage", new IllegalStateException("x"),
          Instant.now());
      final String body = get(server.url()).body();
      assertEquals(before + 1, Scrape.value(body, "r2e_records_failed_total", tags), body);
      assertTrue(body.contains("jvm_memory_used_bytes"), "JVM meters are bound");
    }
  }

  @Test
  void aTakenPortIsAClearError() {
    try (MetricsServer first = MetricsServer.start("127.0.0.1", 0, R2eMetrics.registry())) {
      final UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> MetricsServer.start("127.0.0.1", first.port(), R2eMetrics.registry()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + first.port()), e.getMessage());
    }
  }

  @Test
  void settingsDefaultToLoopbackOn9404AndRejectNonsense() {
    assertEquals(new MetricsSettings(true, "127.0.0.1", 9404), MetricsSettings.from(Map.of()));
    assertEquals(new MetricsSettings(false, "0.0.0.0", 0), MetricsSettings.from(Map.of(
        ConfigKeys.METRICS_ENABLED, "false", ConfigKeys.METRICS_HOST, "0.0.0.0", ConfigKeys.METRICS_PORT, 0)));
    assertTrue(MetricsServer.startIfEnabled(MetricsSettings.from(Map.of(ConfigKeys.METRICS_ENABLED, false)))
        .isEmpty());
    final IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> MetricsSettings.from(Map.of(ConfigKeys.METRICS_PORT, "http")));
    assertTrue(port.getMessage().contains("'http'"), port.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MetricsSettings.from(Map.of(ConfigKeys.METRICS_PORT, 70_000)));
    assertThrows(IllegalArgumentException.class, () -> MetricsSettings.from(Map.of(ConfigKeys.METRICS_ENABLED, "yes")));
  }

  @Test
  void aStandaloneProcessReadsSystemPropertiesAndItsOwnDefaultPort() {
    assertEquals(9405, MetricsSettings.fromSystem(9405).port());
    System.setProperty(ConfigKeys.METRICS_PORT, "0");
    try {
      assertEquals(new MetricsSettings(true, "127.0.0.1", 0), MetricsSettings.fromSystem(9405));
    } finally {
      System.clearProperty(ConfigKeys.METRICS_PORT);
    }
  }

  private static HttpResponse<String> get(final URI uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}

package io.r2estream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardConfigTest {

  private static final Map<String, String> CLUSTER = Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, "127.0.0.1:9092",
      ConfigKeys.REGISTRY_URL, "http://127.0.0.1:8081");

  @Test
  void defaultsBindToLoopback() {
    final DashboardConfig c = DashboardConfig.from(CLUSTER, Map.of());
    assertEquals("127.0.0.1", c.host());
    assertEquals(DashboardConfig.DEFAULT_PORT, c.port());
    assertEquals(Duration.ofSeconds(1), c.refresh());
  }

  @Test
  void propertiesWinOverEnvironmentVariables() {
    final Map<String, String> props = new java.util.HashMap<>(CLUSTER);
    props.put(DashboardConfig.PORT, "9100");
    final DashboardConfig c = DashboardConfig.from(props, Map.of("R2E_DASHBOARD_PORT", "9200",
        "R2E_DASHBOARD_REFRESH", "250", "R2E_DASHBOARD_MAX_TASKS", "7"));
    assertEquals(9100, c.port());
    assertEquals(Duration.ofMillis(250), c.refresh());
    assertEquals(7, c.maxTasks());
  }

  @Test
  void thePlatformStartsTheDashboardOnlyWhenAsked() {
    assertTrue(!DashboardConfig.enabled(CLUSTER));
    assertTrue(DashboardConfig.enabled(Map.of(DashboardConfig.ENABLED, "true")));
  }

  @Test
  void badValuesAreNamedInTheError() {
    final Map<String, String> props = new java.util.HashMap<>(CLUSTER);
    props.put(DashboardConfig.PORT, "http");
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DashboardConfig.from(props, Map.of()));
    assertTrue(e.getMessage().contains("'r2e.dashboard.port'") && e.getMessage().contains("'http'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DashboardConfig.from(Map.of(), Map.of()));
  }

  @Test
  void kafkaClientSettingsPassThroughResolvedAndNeverPrinted() {
    final Map<String, String> props = new java.util.HashMap<>(CLUSTER);
    props.put(ConfigKeys.KAFKA_CLIENT_PREFIX + "security.protocol", "SASL_PLAINTEXT");
    props.put(ConfigKeys.KAFKA_CLIENT_PREFIX + "sasl.jaas.config", "pw=${DASH_SECRET}");
    final DashboardConfig c = DashboardConfig.from(props, Map.of("DASH_SECRET", "s3cr3t-value"));
    assertEquals("SASL_PLAINTEXT", c.kafkaClient().get("security.protocol"));
    assertEquals("pw=s3cr3t-value", c.kafkaClient().get("sasl.jaas.config"));
    assertEquals("127.0.0.1:9092", c.kafkaClient().get("bootstrap.servers"));
    assertTrue(!c.toString().contains("s3cr3t-value"), c.toString());
  }
}

package io.r2estream.deploy.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import io.r2estream.streams.envgen.SweGenConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration layers: application.yml defaults, then system properties, then CLI overrides. */
class PlatformConfigTest {

  @Test
  void defaultsSelectTheEmbeddedServices() {
    final PlatformConfig c = PlatformConfig.load(Map.of());
    assertTrue(c.embeddedKafka() && c.embeddedRegistry() && c.embeddedPostgres());
    assertEquals("127.0.0.1:19092", c.effectiveBootstrapServers());
    assertEquals("http://127.0.0.1:18081", c.effectiveRegistryUrl());
    assertEquals(18080, c.httpPort());
  }

  @Test
  void overridesAndSystemPropertiesReachThePlatformAndTheStageConfigs() {
    System.setProperty("r2e.swegen.min.hunks", "3");
    try {
      final PlatformConfig c = PlatformConfig.load(Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, "kafka-1:9092",
          SweGenConfig.MAX_EDITED_ENTITIES_CONFIG, "2"));
      assertFalse(c.embeddedKafka());
      assertEquals("kafka-1:9092", c.effectiveBootstrapServers());
      final SweGenConfig swegen = SweGenConfig.fromProperties(c.properties());
      assertEquals(2, swegen.maxEditedEntities(), "CLI override");
      assertEquals(3, swegen.minHunks(), "system property");
    } finally {
      System.clearProperty("r2e.swegen.min.hunks");
    }
  }

  @Test
  void kafkaClientSettingsReachTheClientsWithEnvironmentReferencesResolvedAndNeverPrint() {
    // A system property is a Micronaut property source like application.yml: Micronaut resolves ${PATH} there.
    final String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" "
        + "password=\"${PATH}\";";
    System.setProperty("r2e.kafka.client.sasl.jaas.config", jaas);
    try {
      final PlatformConfig c = PlatformConfig.load(Map.of(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, "kafka-1:9093",
          "r2e.kafka.client.security.protocol", "SASL_SSL", "r2e.kafka.client.ssl.truststore.password", "${PATH}"));
      final Map<String, Object> client = c.kafkaClient();
      assertEquals("kafka-1:9093", client.get("bootstrap.servers"));
      assertEquals("SASL_SSL", client.get("security.protocol"));
      assertEquals(System.getenv("PATH"), client.get("ssl.truststore.password"), "-D override, resolved by us");
      assertEquals(jaas.replace("${PATH}", System.getenv("PATH")), client.get("sasl.jaas.config"));
      assertFalse(c.toString().contains("PlainLoginModule"), c.toString());

      final PlatformConfig embedded = PlatformConfig.load(Map.of("r2e.kafka.client.security.protocol", "SASL_SSL"));
      assertEquals(Map.of("bootstrap.servers", "127.0.0.1:19092"), embedded.kafkaClient(),
          "the embedded broker is plaintext: the settings are ignored");
    } finally {
      System.clearProperty("r2e.kafka.client.sasl.jaas.config");
    }
  }

  /**
   * A container is configured by environment variables only: keys that application.yml does not set must still
   * reach the component selection and the stage configs, and a variable must win over the file's value.
   */
  @Test
  void environmentVariablesAloneConfigureAContainer() {
    final PlatformConfig c = PlatformConfig.load(Map.of(), Map.of(
        "R2E_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
        "R2E_COMPONENTS", "rollout,dashboard",
        "R2E_CONNECT_MODE", "distributed",
        "R2E_CONNECT_PORT", "8083",
        "R2E_REGISTRY_EMBEDDED_HOST", "0.0.0.0",
        "R2E_ROLLOUT_CONCURRENCY", "5",
        "R2E_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL"));
    assertEquals(java.util.EnumSet.of(PlatformComponent.ROLLOUT, PlatformComponent.DASHBOARD),
        PlatformComponent.selected(c.properties()));
    assertTrue(c.connectDistributed());
    assertEquals("0.0.0.0", c.registryEmbeddedHost());
    assertEquals(5, io.r2estream.rollout.RolloutConfig.from(c.properties()).concurrency());
    assertEquals(8083, c.connectPort());
    assertEquals("8083", c.stringProperties().get(ConfigKeys.CONNECT_PORT), "the variable wins over application.yml");
    assertEquals("kafka:9092", c.effectiveBootstrapServers());
    assertEquals("SASL_SSL", c.kafkaClient().get("security.protocol"));
    assertFalse(c.kafkaClient().containsKey("security-protocol"), "only Kafka's own spelling: " + c.kafkaClient());
  }
}

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
}

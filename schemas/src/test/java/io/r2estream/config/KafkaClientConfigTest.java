package io.r2estream.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientConfigTest {

  private static final Map<String, Object> PLATFORM = Map.of(
      "r2e.kafka.client.security.protocol", "SASL_SSL",
      "r2e.kafka.client.sasl.mechanism", "PLAIN",
      "r2e.kafka.client.sasl.jaas.config",
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"${KAFKA_PW}\";",
      "r2e.kafka.client.ssl.truststore.location", "/etc/r2e/truststore.jks",
      "r2e.kafka.bootstrap-servers", "broker:9093",
      "r2e.llm.api-key", "sk-not-a-kafka-setting");

  @Test
  void copiesThePrefixedKeysStrippedAndResolvesEnvironmentReferences() {
    final Map<String, Object> client = KafkaClientConfig.of("broker:9093", PLATFORM, Map.of("KAFKA_PW", "s3cr$t\\x"));
    assertEquals(Map.of(
        "bootstrap.servers", "broker:9093",
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cr$t\\x\";",
        "ssl.truststore.location", "/etc/r2e/truststore.jks"), client);
  }

  @Test
  void aMissingEnvironmentVariableIsAnErrorNotAnEmptyPassword() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaClientConfig.of("broker:9093", PLATFORM, Map.of()));
    assertEquals("r2e.kafka.client.sasl.jaas.config references the environment variable KAFKA_PW, which is not set",
        e.getMessage());
    final IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> KafkaClientConfig.of("b:1", Map.of("r2e.kafka.client.ssl.key.password", "${env:PW}"), Map.of()));
    assertEquals("r2e.kafka.client.ssl.key.password has a placeholder that is not an environment variable "
        + "reference like ${R2E_KAFKA_PASSWORD}: [hidden]", other.getMessage());
  }

  @Test
  void withoutSettingsOnlyTheAddress() {
    assertEquals(Map.of("bootstrap.servers", "b:1"), KafkaClientConfig.of("b:1", Map.of("r2e.data-dir", "x")));
    assertThrows(IllegalArgumentException.class, () -> KafkaClientConfig.of(" ", Map.of()));
  }

  @Test
  void connectWorkerGetsTheSettingsForItsOwnAndItsConnectorsClients() {
    final Map<String, String> worker = KafkaClientConfig.forConnectWorker(
        KafkaClientConfig.of("b:1", PLATFORM, Map.of("KAFKA_PW", "pw")));
    for (final String prefix : new String[] {"", "producer.", "consumer.", "admin."}) {
      assertEquals("SASL_SSL", worker.get(prefix + "security.protocol"), prefix);
    }
    assertEquals("b:1", worker.get("bootstrap.servers"));
    assertFalse(worker.containsKey("producer.bootstrap.servers"));
  }

  @Test
  void maskedHidesSecretLookingKeys() {
    final Map<String, String> m = KafkaClientConfig.masked(PLATFORM);
    assertEquals("[hidden]", m.get("r2e.kafka.client.sasl.jaas.config"));
    assertEquals("[hidden]", m.get("r2e.llm.api-key"));
    assertEquals("SASL_SSL", m.get("r2e.kafka.client.security.protocol"));
    assertTrue(KafkaClientConfig.isSecret("r2e.jdbc.password"));
    assertTrue(KafkaClientConfig.isSecret("ssl.key.password"));
    assertTrue(KafkaClientConfig.isSecret("R2E_AUTH_TOKEN"));
    assertFalse(KafkaClientConfig.isSecret("r2e.kafka.bootstrap-servers"));
  }
}

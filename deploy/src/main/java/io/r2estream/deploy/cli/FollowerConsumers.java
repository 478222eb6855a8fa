package io.r2estream.deploy.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Consumer settings of the CLI's followers (funnel, validations): a throwaway group reading from the beginning, no
 * commits, committed records only (the topologies write with exactly-once transactions).
 */
final class FollowerConsumers {

  private FollowerConsumers() {
  }

  /** @param kafkaClient Kafka client properties (bootstrap servers, security): {@code PlatformConfig.kafkaClient} */
  static Map<String, Object> config(final Map<String, Object> kafkaClient, final String groupPrefix) {
    final Map<String, Object> cfg = new LinkedHashMap<>(kafkaClient);
    cfg.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + UUID.randomUUID());
    cfg.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cfg.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cfg.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return cfg;
  }
}
